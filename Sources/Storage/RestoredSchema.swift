import Foundation

/// What a restored database may hold: the host's tables and indexes as its migrations make
/// them, SQLite's own tables, and tables and indexes named like a cog's (`xp__members`). The
/// host and cogs never make triggers, views or virtual tables (the cog authorizer refuses
/// them), so a backup holding one was crafted, and a trigger would run the next time the host
/// writes that table.
public enum RestoredSchema {
    /// The objects of `database` the host never makes, as `trigger 'x'`; empty when it is clean.
    public static func unknownObjects(in database: SQLiteDatabase) throws -> [String] {
        let host = try hostObjects()
        var unknown: [String] = []
        for row in try database.query("SELECT type, name, tbl_name, rootpage FROM sqlite_schema ORDER BY type, name") {
            let type = row["type"].text ?? "", name = row["name"].text ?? "", table = row["tbl_name"].text ?? ""
            switch type {
            case "table" where row["rootpage"].integer == 0:
                // A virtual table has no pages of its own, however its SQL is spelled.
                unknown.append("virtual table '\(name)'")
            case "table" where host.contains(name) || isSQLiteTable(name) || isCogObject(name):
                continue
            case "index" where host.contains(name) || (isCogObject(table) && (isCogObject(name) || name.hasPrefix("sqlite_autoindex_"))):
                continue
            default:
                unknown.append("\(type) '\(name)'")
            }
        }
        return unknown
    }

    /// `<cog>__<name>`: a valid cog name (no `__` in it), then a letter or digit.
    static func isCogObject(_ name: String) -> Bool {
        guard let separator = name.range(of: "__") else { return false }
        let cog = name[..<separator.lowerBound]
        guard let next = name[separator.upperBound...].first, next.isLetter || next.isNumber, !cog.isEmpty else { return false }
        return cog.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    private static func isSQLiteTable(_ name: String) -> Bool {
        ["sqlite_sequence", "sqlite_stat1", "sqlite_stat4"].contains(name)
    }

    /// The names of the tables and indexes a freshly migrated host database has.
    private static func hostObjects() throws -> Set<String> {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-schema-\(UUID().uuidString).sqlite3")
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file.path + suffix) } }
        let database = try SQLiteDatabase(file: file)
        try SchemaMigrator(owner: HostSchema.owner, migrations: HostSchema.migrations).migrate(database)
        return Set(try database.query("SELECT name FROM sqlite_schema WHERE type IN ('table', 'index')").compactMap { $0["name"].text })
    }
}
