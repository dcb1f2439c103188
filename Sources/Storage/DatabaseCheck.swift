import Foundation

/// What `cogwheel db check` reports: integrity, size, WAL size, each table's rows and bytes,
/// and what each cog's tables and key–value entries take.
public struct DatabaseCheck: Sendable {
    public struct Table: Sendable {
        public let name: String
        public let rows: Int64
        /// Pages of the table and its indexes, in bytes.
        public let bytes: Int64
        /// The cog owning the table (`xp` for `xp__members`), or `nil` for the host's.
        public var cog: String? { name.range(of: "__").map { String(name[..<$0.lowerBound]) } }
    }

    /// One cog's share of the database.
    public struct CogUsage: Sendable {
        public let cog: String
        public let tables: Int
        public let tableBytes: Int64
        public let keyValueEntries: Int64
    }

    /// `ok`, or the problems `PRAGMA integrity_check` found.
    public let integrity: [String]
    public let pageSize: Int64
    public let pageCount: Int64
    public let freePages: Int64
    public let walBytes: Int64
    public let schemaVersions: [String: Int64]
    public let tables: [Table]
    public let cogs: [CogUsage]

    public var isHealthy: Bool { integrity == ["ok"] }

    /// Reads the figures from `database`.
    public init(_ database: SQLiteDatabase) throws {
        integrity = try database.query("PRAGMA integrity_check").compactMap { $0.values.first?.text }
        pageSize = try database.query("PRAGMA page_size").first?.values.first?.integer ?? 0
        pageCount = try database.query("PRAGMA page_count").first?.values.first?.integer ?? 0
        freePages = try database.query("PRAGMA freelist_count").first?.values.first?.integer ?? 0
        walBytes = database.walBytes
        let names = try database.query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .compactMap { $0["name"].text }
        let bytesByTable = Dictionary(uniqueKeysWithValues: try database.query("""
            SELECT coalesce(i.tbl_name, d.name) AS owner, sum(d.pgsize) AS bytes
            FROM dbstat AS d LEFT JOIN sqlite_schema AS i ON i.name = d.name GROUP BY owner
            """).compactMap { row in row["owner"].text.map { ($0, row["bytes"].integer ?? 0) } })
        let tables = try names.map { name in
            let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            return Table(name: name, rows: try database.query("SELECT count(*) AS n FROM \(quoted)").first?["n"].integer ?? 0,
                         bytes: bytesByTable[name] ?? 0)
        }
        self.tables = tables
        let keyValueCounts: [String: Int64] = names.contains("host_cog_kv")
            ? Dictionary(uniqueKeysWithValues: try database.query("SELECT cog, count(*) AS n FROM host_cog_kv GROUP BY cog")
                .compactMap { row in row["cog"].text.map { ($0, row["n"].integer ?? 0) } })
            : [:]
        let owned = Dictionary(grouping: tables.filter { $0.cog != nil }, by: { $0.cog! })
        cogs = Set(owned.keys).union(keyValueCounts.keys).sorted().map { cog in
            CogUsage(cog: cog, tables: owned[cog]?.count ?? 0, tableBytes: owned[cog]?.reduce(0) { $0 + $1.bytes } ?? 0,
                     keyValueEntries: keyValueCounts[cog] ?? 0)
        }
        let hasSchema = names.contains("cogwheel_schema")
        schemaVersions = hasSchema
            ? Dictionary(uniqueKeysWithValues: try database.query("SELECT owner, version FROM cogwheel_schema").compactMap { row in
                row["owner"].text.map { ($0, row["version"].integer ?? 0) }
            })
            : [:]
    }

    /// A readable report.
    public var report: String {
        var lines = [
            "integrity: \(integrity.joined(separator: "; "))",
            "size: \(pageCount) pages × \(pageSize) B = \(pageCount * pageSize / 1024) KiB (\(freePages) free pages)",
            "WAL: \(walBytes / 1024) KiB",
        ]
        for (owner, version) in schemaVersions.sorted(by: { $0.key < $1.key }) { lines.append("schema \(owner): version \(version)") }
        for table in tables { lines.append("table \(table.name): \(table.rows) rows, \(table.bytes / 1024) KiB") }
        for usage in cogs {
            lines.append("cog \(usage.cog): \(usage.tables) tables, \(usage.tableBytes / 1024) KiB, \(usage.keyValueEntries) key-value entries")
        }
        return lines.joined(separator: "\n")
    }
}
