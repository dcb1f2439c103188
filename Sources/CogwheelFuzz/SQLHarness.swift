import Foundation
import Storage

/// A cog's SQL, built from a grammar of the forms a cog may use and the ones it must not:
/// other cogs' and the host's tables under every spelling, the schema table, pragmas, attach,
/// triggers, views, foreign keys into others' tables, renames into others' names, forbidden
/// functions, and raw bytes. The invariant is the cog boundary: after every statement, nothing
/// outside cog `fz`'s tables has changed, and no secret of another owner has reached the
/// statement's result or the cog's own tables.
final class SQLHarness: @unchecked Sendable {
    // @unchecked: libFuzzer calls one input at a time.
    static let shared = SQLHarness()

    /// Drawn per process and never in the grammar, so a statement can only show it by reading it.
    private static let secret = "secret-" + UUID().uuidString
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-fuzz-sql-\(getpid())")
    private let database: SQLiteDatabase
    private let store: CogStore
    private let othersBefore: [String]

    private init() {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            database = try SQLiteDatabase(file: directory.appendingPathComponent("fuzz.sqlite3"))
            try database.write { scope in
                try scope.executeScript("""
                    CREATE TABLE host_secrets(name TEXT PRIMARY KEY, value TEXT);
                    INSERT INTO host_secrets VALUES ('token', '\(Self.secret)');
                    CREATE TABLE other__notes(id INTEGER PRIMARY KEY, body TEXT);
                    INSERT INTO other__notes(body) VALUES ('\(Self.secret)');
                    CREATE TABLE fz__a(id INTEGER PRIMARY KEY, v TEXT);
                    """)
            }
            store = CogStore(cog: "fz", database: database)
            othersBefore = try Self.othersState(database)
        } catch {
            FuzzFailure.stop("cannot set up the SQL harness: \(error)")
        }
    }

    static let tables = [
        "fz__a", "fz__b", "other__notes", "host_secrets", "sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_sequence",
        "main.other__notes", "\"other__notes\"", "[host_secrets]", "`other__notes`", "OTHER__NOTES", "main.fz__a", "temp.fz__t",
        "fz__a__x", "\"fz__a\"", "pragma_table_info('other__notes')", "json_each('[1]')", "dbstat", "fz",
    ]
    static let columns = ["v", "id", "body", "value", "name", "sql", "*", "rowid"]
    static let functions = [
        "length", "upper", "hex", "json", "json_extract", "printf", "load_extension", "fts3_tokenizer", "sqlite_version",
        "randomblob", "zeroblob", "readfile", "writefile", "sqlite_compileoption_get", "unhex", "char", "abs",
    ]

    /// One statement from the grammar.
    static func statement(_ choices: inout ByteChoices) -> String {
        let table = choices.pick(tables)
        let other = choices.pick(tables)
        let column = choices.pick(columns)
        let function = choices.pick(functions)
        let literal = choices.pick(["'x'", "1", "NULL", "X'00'", "'secret'", "(SELECT \(column) FROM \(other))"])
        return switch choices.next() % 24 {
        case 0: "SELECT \(column) FROM \(table)"
        case 1: "SELECT \(function)(\(literal)) FROM \(table)"
        case 2: "INSERT INTO \(table)(v) VALUES (\(literal))"
        case 3: "INSERT INTO \(table)(v) SELECT \(column) FROM \(other)"
        case 4: "UPDATE \(table) SET v = \(literal)"
        case 5: "DELETE FROM \(table) WHERE id IN (SELECT id FROM \(other))"
        case 6: "CREATE TABLE \(table)(id INTEGER PRIMARY KEY, v TEXT REFERENCES \(other)(\(column)))"
        case 7: "ALTER TABLE \(table) RENAME TO \(other)"
        case 8: "ALTER TABLE \(table) ADD COLUMN w TEXT DEFAULT \(literal)"
        case 9: "DROP TABLE \(table)"
        case 10: "CREATE INDEX IF NOT EXISTS fz__i ON \(table)(\(column))"
        case 11: "CREATE TRIGGER fz__t AFTER INSERT ON \(table) BEGIN INSERT INTO \(other)(v) VALUES (1); END"
        case 12: "CREATE VIEW fz__v AS SELECT * FROM \(table)"
        case 13: "WITH c(x) AS (SELECT \(column) FROM \(table)) SELECT x FROM c"
        case 14: "PRAGMA \(choices.pick(["table_info", "writable_schema", "foreign_keys", "journal_mode"]))(\(table))"
        case 15: "ATTACH '\(choices.pick([":memory:", "/tmp/fz.db"]))' AS \(choices.pick(["y", "main", "temp"]))"
        case 16: "SELECT * FROM \(table) JOIN \(other) USING (\(column))"
        case 17: "REPLACE INTO \(table)(id, v) VALUES (1, \(literal))"
        case 18: "INSERT INTO \(table)(id, v) VALUES (1, 'x') ON CONFLICT(id) DO UPDATE SET v = \(literal)"
        case 19: "ALTER TABLE \(table) RENAME COLUMN v TO \(column == "*" ? "w" : column)"
        case 20: "CREATE TABLE \(table) AS SELECT * FROM \(other)"
        case 21: "SELECT name, sql FROM \(table) WHERE type = 'table'"
        case 22: "VACUUM INTO '/tmp/fz-copy.db'"
        default: String(decoding: choices.rest(), as: UTF8.self)
        }
    }

    func run(_ bytes: [UInt8]) {
        var choices = ByteChoices(bytes)
        for _ in 0..<(1 + Int(choices.next() % 4)) {
            let sql = Self.statement(&choices)
            if let result = try? store.run(sql) {
                let shown = Self.text(result.rows)
                FuzzFailure.check(!shown.contains(Self.secret), "'\(sql)' read another owner's secret: \(shown.prefix(200))")
            }
            check(after: sql)
            if choices.isExhausted { break }
        }
        reset()
    }

    /// Everything outside the cog's tables, as the host sees it.
    private static func othersState(_ database: SQLiteDatabase) throws -> [String] {
        let schema = try database.query("SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'fz\\_\\_%' ESCAPE '\\' ORDER BY name")
        let rows = try database.query("SELECT name || '=' || value FROM host_secrets UNION ALL SELECT id || '=' || body FROM other__notes")
        return (schema + rows).map { text([$0]) }
    }

    /// Every value of `rows` as text (blobs decoded as UTF-8), so a secret shows however it
    /// was read out.
    private static func text(_ rows: [SQLiteRow]) -> String {
        rows.flatMap(\.values).map { value -> String in
            switch value {
            case .null: "NULL"
            case .integer(let number): String(number)
            case .real(let number): String(number)
            case .text(let text): text
            case .blob(let bytes): String(decoding: bytes, as: UTF8.self) + " " + bytes.map { String($0, radix: 16) }.joined()
            }
        }.joined(separator: " ")
    }

    private func check(after sql: String) {
        guard let now = try? Self.othersState(database) else { FuzzFailure.stop("after '\(sql)' the host cannot read its own tables") }
        FuzzFailure.check(now == othersBefore, "'\(sql)' changed what is not the cog's: \(now) instead of \(othersBefore)")
        let own = (try? database.query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'fz\\_\\_%' ESCAPE '\\'")) ?? []
        for row in own {
            guard let name = row.values.first?.text,
                  let copied = try? database.query("SELECT * FROM \"\(name.replacingOccurrences(of: "\"", with: "\"\""))\"") else { continue }
            FuzzFailure.check(!Self.text(copied).contains(Self.secret), "'\(sql)' copied another owner's secret into \(name)")
        }
    }

    /// Back to one empty table of the cog's, so each input starts from the same state.
    private func reset() {
        do {
            try database.write { scope in
                let objects = try scope.query("SELECT type, name FROM sqlite_schema WHERE name LIKE 'fz\\_\\_%' ESCAPE '\\' AND type IN ('view', 'trigger', 'table') ORDER BY type = 'table'")
                for object in objects {
                    guard let type = object["type"].text, let name = object["name"].text else { continue }
                    _ = try scope.execute("DROP \(type.uppercased()) IF EXISTS \"\(name.replacingOccurrences(of: "\"", with: "\"\""))\"")
                }
                _ = try scope.execute("CREATE TABLE fz__a(id INTEGER PRIMARY KEY, v TEXT)")
            }
        } catch {
            FuzzFailure.stop("cannot reset the cog's tables: \(error)")
        }
    }
}
