import Foundation

/// What `cogwheel db check` reports: integrity, size, WAL size and each table's rows.
public struct DatabaseCheck: Sendable {
    public struct Table: Sendable {
        public let name: String
        public let rows: Int64
    }

    /// `ok`, or the problems `PRAGMA integrity_check` found.
    public let integrity: [String]
    public let pageSize: Int64
    public let pageCount: Int64
    public let freePages: Int64
    public let walBytes: Int64
    public let schemaVersions: [String: Int64]
    public let tables: [Table]

    public var isHealthy: Bool { integrity == ["ok"] }

    /// Reads the figures from `database`.
    public init(_ database: SQLiteDatabase) throws {
        integrity = try database.query("PRAGMA integrity_check").compactMap { $0.values.first?.text }
        pageSize = try database.query("PRAGMA page_size").first?.values.first?.integer ?? 0
        pageCount = try database.query("PRAGMA page_count").first?.values.first?.integer ?? 0
        freePages = try database.query("PRAGMA freelist_count").first?.values.first?.integer ?? 0
        let wal = database.file.path + "-wal"
        walBytes = ((try? FileManager.default.attributesOfItem(atPath: wal))?[.size] as? NSNumber)?.int64Value ?? 0
        let names = try database.query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .compactMap { $0["name"].text }
        tables = try names.map { name in
            let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            return Table(name: name, rows: try database.query("SELECT count(*) AS n FROM \(quoted)").first?["n"].integer ?? 0)
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
        for table in tables { lines.append("table \(table.name): \(table.rows) rows") }
        return lines.joined(separator: "\n")
    }
}
