import Foundation
import Storage
import Testing

@Suite("Per-cog storage: key–value scopes and isolated SQL")
struct CogStoreTests {
    static func migratedDatabase() throws -> SQLiteDatabase {
        let database = try SQLiteDatabase(file: StorageTests.temporaryFile())
        try SchemaMigrator(owner: HostSchema.owner, migrations: HostSchema.migrations).migrate(database)
        return database
    }

    @Test("every scope keeps its own values, and a cog never sees another cog's", arguments: [
        KeyValueLocation.global, .guild(1), .channel(2), .user(3), .member(guild: 1, user: 3),
    ])
    func scopes(location: KeyValueLocation) throws {
        let database = try Self.migratedDatabase()
        let xp = CogStore(cog: "xp", database: database)
        let polls = CogStore(cog: "polls", database: database)
        try xp.setValue(Array("10".utf8), for: "rate", at: location)
        try polls.setValue(Array("polls".utf8), for: "rate", at: location)
        #expect(try xp.value(for: "rate", at: location) == Array("10".utf8))
        #expect(try polls.value(for: "rate", at: location) == Array("polls".utf8))
        for other in [KeyValueLocation.global, .guild(1), .channel(2), .user(3), .member(guild: 1, user: 3), .guild(9)]
        where other != location {
            #expect(try xp.value(for: "rate", at: other) == nil)
        }
        try xp.setValue(Array("11".utf8), for: "rate", at: location)
        #expect(try xp.value(for: "rate", at: location) == Array("11".utf8))
        #expect(try xp.removeValue(for: "rate", at: location))
        #expect(try xp.value(for: "rate", at: location) == nil)
        #expect(try polls.value(for: "rate", at: location) == Array("polls".utf8))
    }

    @Test("listing by prefix, and every member of one guild with a 0 user id")
    func listing() throws {
        let xp = CogStore(cog: "xp", database: try Self.migratedDatabase())
        for user: UInt64 in [5, 6, 7] {
            try xp.setValue([UInt8(user)], for: "badge.gold", at: .member(guild: 1, user: user))
            try xp.setValue([0], for: "note", at: .member(guild: 1, user: user))
        }
        try xp.setValue([9], for: "badge.gold", at: .member(guild: 2, user: 5))
        let gold = try xp.entries(at: .member(guild: 1, user: 0), prefix: "badge.")
        #expect(gold.map(\.location.second) == [5, 6, 7])
        #expect(gold.map(\.value) == [[5], [6], [7]])
        #expect(try xp.entries(at: .member(guild: 0, user: 5), prefix: "badge.").map(\.location.first) == [1, 2])
    }

    @Test("ids that do not fit the scope are refused with the reason")
    func badLocations() throws {
        let xp = CogStore(cog: "xp", database: try Self.migratedDatabase())
        #expect { try xp.setValue([1], for: "k", at: .guild(0)) } throws: { "\($0)".contains("needs an id") }
        #expect { try xp.setValue([1], for: "k", at: .member(guild: 1, user: 0)) } throws: { "\($0)".contains("a guild id and a user id") }
        #expect { try xp.setValue([1], for: String(repeating: "k", count: 300), at: .global) } throws: { "\($0)".contains("at most") }
    }

    @Test("a cog's SQL works on its own tables; batches commit together or not at all")
    func ownTables() throws {
        let xp = CogStore(cog: "xp", database: try Self.migratedDatabase())
        _ = try xp.run("CREATE TABLE xp__members (user_id INTEGER PRIMARY KEY, xp INTEGER NOT NULL)")
        _ = try xp.run("CREATE INDEX xp__members_by_xp ON xp__members (xp)")
        let inserted = try xp.run("INSERT INTO xp__members VALUES (?, ?)", [.integer(1), .integer(50)])
        #expect(inserted.changes == 1)
        #expect(throws: StorageError.self) {
            try xp.runBatch([SQLStatement("INSERT INTO xp__members VALUES (2, 10)"), SQLStatement("INSERT INTO xp__members VALUES (1, 5)")])
        }
        let results = try xp.runBatch([
            SQLStatement("INSERT INTO xp__members VALUES (?, ?)", [.integer(2), .integer(10)]),
            SQLStatement("UPDATE xp__members SET xp = xp + 5"),
        ])
        #expect(results.map(\.changes) == [1, 2])
        let rows = try xp.run("SELECT user_id, xp FROM xp__members ORDER BY xp DESC").rows
        #expect(rows.map { $0["xp"] } == [.integer(55), .integer(15)])
        #expect(try xp.run("PRAGMA table_info(xp__members)").rows.count == 2)
        let smuggled = try #require(throws: StorageError.self) { try xp.run("SELECT 1; DELETE FROM xp__members") }
        #expect(smuggled.message.contains("one statement per call"))
        #expect(try xp.run("SELECT count(*) AS n FROM xp__members").rows.first?["n"] == .integer(2))
    }

    @Test("a cog cannot touch another cog's or the host's tables, ATTACH, write pragmas or load extensions", arguments: [
        "SELECT * FROM polls__votes",
        "INSERT INTO polls__votes VALUES (1)",
        "DELETE FROM host_cog_kv",
        "SELECT hash FROM host_command_sync",
        "UPDATE cogwheel_schema SET version = 0",
        "SELECT name FROM sqlite_schema",
        "DROP TABLE polls__votes",
        "CREATE TABLE stolen (x)",
        "CREATE TABLE xp___sneaky (x)",
        "CREATE INDEX polls__votes_x ON polls__votes (x)",
        "ATTACH DATABASE '/tmp/other.sqlite3' AS other",
        "PRAGMA journal_mode = DELETE",
        "PRAGMA writable_schema = ON",
        "SELECT load_extension('/tmp/evil.so')",
        "BEGIN",
        "CREATE TEMP TABLE xp__scratch (x)",
        "CREATE TRIGGER xp__t AFTER INSERT ON xp__members BEGIN DELETE FROM polls__votes; END",
        "CREATE VIEW xp__v AS SELECT * FROM polls__votes",
        // Found in review: DDL could read the schema table, fts3_tokenizer leaked a pointer,
        // and a foreign key into another cog's table let this cog block that cog's deletes.
        "CREATE TABLE xp__names AS SELECT name FROM sqlite_master",
        "CREATE TABLE xp__names AS SELECT sql FROM main.SQLITE_SCHEMA",
        "SELECT fts3_tokenizer('simple')",
        "SELECT sqlite_compileoption_get(0)",
        "CREATE TABLE xp__ref (vote INTEGER REFERENCES polls__votes (x))",
        // Found in the second review: a rename could squat another owner's name, and dbstat
        // listed every table.
        "ALTER TABLE xp__members RENAME TO polls__squat",
        "ALTER TABLE xp__members RENAME TO host_future",
        "SELECT name FROM dbstat",
        "WITH dbstat AS (SELECT 1) SELECT name FROM main.dbstat",
        "SELECT name FROM pragma_table_list",
    ])
    func isolation(sql: String) throws {
        let database = try Self.migratedDatabase()
        let polls = CogStore(cog: "polls", database: database)
        _ = try polls.run("CREATE TABLE polls__votes (x INTEGER)")
        _ = try polls.run("INSERT INTO polls__votes VALUES (42)")
        let xp = CogStore(cog: "xp", database: database)
        _ = try xp.run("CREATE TABLE xp__members (user_id INTEGER PRIMARY KEY)")
        let error = try #require(throws: StorageError.self) { try xp.run(sql) }
        #expect(error.code == 23 /* SQLITE_AUTH */, "\(error)")
        #expect(error.description.contains("cog xp"))
        #expect(try polls.run("SELECT x FROM polls__votes").rows.first?["x"] == .integer(42))
        #expect(try database.query("PRAGMA journal_mode").first?.values.first == .text("wal"))
    }

    @Test("migrations run under the cog's authorizer: one that reaches a host table rolls back")
    func migrationIsolation() throws {
        let database = try Self.migratedDatabase()
        let evil = SchemaMigrator.forCog("evil", schemaVersion: 1, migrations: [
            Migration(version: 1, "create and steal", ["CREATE TABLE evil__loot (x); INSERT INTO evil__loot SELECT hash FROM host_command_sync"]),
        ])
        let error = try #require(throws: StorageError.self) { try evil.migrate(database) }
        #expect(error.context.contains("cog:evil migration 1"))
        #expect(try database.query("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'evil__loot'").first?["n"] == .integer(0))
        #expect(try evil.recordedVersion(in: database) == 0)
    }

    @Test("statements a cog writes every day work on its own tables", arguments: [
        "ALTER TABLE xp__members RENAME TO xp__people",
        "ALTER TABLE xp__members RENAME COLUMN xp TO points",
        "ALTER TABLE xp__members ADD COLUMN badge TEXT",
        "ALTER TABLE xp__members DROP COLUMN xp",
        "WITH top AS (SELECT user_id FROM xp__members WHERE xp > 0) SELECT count(*) AS n FROM top",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10) SELECT count(*) AS n FROM c",
        "CREATE TABLE xp__log (id INTEGER PRIMARY KEY AUTOINCREMENT, note TEXT)",
        "SELECT value FROM json_each('[1, 2, 3]')",
        "SELECT json_extract('{\"a\": 1}', '$.a') AS a, upper('x'), datetime('now'), round(2.5), sqrt(4)",
        "CREATE TABLE xp__ranks (user_id INTEGER REFERENCES xp__members (user_id) ON DELETE CASCADE)",
        "DROP TABLE xp__members",
    ])
    func ordinaryStatements(sql: String) throws {
        let xp = CogStore(cog: "xp", database: try Self.migratedDatabase())
        _ = try xp.run("CREATE TABLE xp__members (user_id INTEGER PRIMARY KEY, xp INTEGER NOT NULL DEFAULT 0)")
        _ = try xp.run("INSERT INTO xp__members (user_id, xp) VALUES (1, 5), (2, 0)")
        _ = try xp.run(sql)
    }

    @Test("AUTOINCREMENT counts in the shared sqlite_sequence, which the cog may not read")
    func autoincrement() throws {
        let xp = CogStore(cog: "xp", database: try Self.migratedDatabase())
        _ = try xp.run("CREATE TABLE xp__log (id INTEGER PRIMARY KEY AUTOINCREMENT, note TEXT)")
        #expect(try xp.run("INSERT INTO xp__log (note) VALUES ('a')").lastInsertRowID == 1)
        _ = try xp.run("DELETE FROM xp__log")
        #expect(try xp.run("INSERT INTO xp__log (note) VALUES ('b')").lastInsertRowID == 2)
        for sql in ["SELECT name, seq FROM sqlite_sequence", "UPDATE sqlite_sequence SET seq = 9223372036854775807",
                    "DELETE FROM sqlite_sequence"] {
            let error = try #require(throws: StorageError.self) { try xp.run(sql) }
            #expect(error.code == 23 && error.message.contains("shared by every cog"), "\(sql): \(error)")
        }
        _ = try xp.run("ALTER TABLE xp__log RENAME TO xp__journal")
        #expect(try xp.run("INSERT INTO xp__journal (note) VALUES ('c')").lastInsertRowID == 3, "the counter moved with the rename")
    }

    @Test("a statement past its budget is interrupted with an error naming the budget, and the next one runs")
    func timeBudget() throws {
        let budgets = CogSQLBudgets(interaction: .milliseconds(100), job: .seconds(1))
        let xp = CogStore(cog: "xp", database: try Self.migratedDatabase(), budgets: budgets)
        let started = ContinuousClock.now
        let error = try #require(throws: StorageError.self) {
            try xp.run("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c")
        }
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(error.code == 9 /* SQLITE_INTERRUPT */ && error.message.contains("time budget of 100 ms"), "\(error)")
        #expect(try xp.run("SELECT 1 AS one").rows.first?["one"] == .integer(1))
        _ = try xp.run("CREATE TABLE xp__t (x)")
        let write = try #require(throws: StorageError.self) {
            try xp.run("INSERT INTO xp__t WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c")
        }
        #expect(write.message.contains("time budget"), "the writer is bounded too: \(write)")
        #expect(try xp.run("SELECT count(*) AS n FROM xp__t").rows.first?["n"] == .integer(0), "the interrupted insert left nothing")
    }

    @Test("SQL text with a NUL byte is refused at once instead of looping (found by the SQL fuzzer)",
          arguments: ["\u{0}", "SELECT 1;\u{0}SELECT 2", "\u{0}\u{7}\u{8}\u{0}\u{10}==="])
    func nulBytes(sql: String) throws {
        let xp = CogStore(cog: "xp", database: try Self.migratedDatabase())
        let error = try #require(throws: StorageError.self) { try xp.run(sql) }
        #expect(error.message.contains("NUL byte"), "\(error)")
        #expect(try xp.run("SELECT 1 AS one").rows.first?["one"] == .integer(1))
    }

    @Test("a batch holds at most 100 statements and shares one budget")
    func batchLimits() throws {
        let xp = CogStore(cog: "xp", database: try Self.migratedDatabase(), budgets: CogSQLBudgets(interaction: .milliseconds(300)))
        let many = Array(repeating: SQLStatement("SELECT 1"), count: 101)
        let error = try #require(throws: StorageError.self) { try xp.runBatch(many) }
        #expect(error.message.contains("at most 100 statements"))
        let slow = SQLStatement("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) SELECT count(*) FROM c")
        let started = ContinuousClock.now
        #expect(throws: StorageError.self) { try xp.runBatch(Array(repeating: slow, count: 10)) }
        #expect(ContinuousClock.now - started < .seconds(1), "ten slow statements share one 300 ms budget")
    }

    @Test("sizes are capped: a 900 MB blob, a result of a million rows, a statement of a megabyte")
    func sizeLimits() throws {
        let xp = CogStore(cog: "xp", database: try Self.migratedDatabase())
        let blob = try #require(throws: StorageError.self) { try xp.run("SELECT length(randomblob(900000000))") }
        #expect(blob.message.contains("too big"), "\(blob)")
        let rows = try #require(throws: StorageError.self) {
            try xp.run("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1000000) SELECT x FROM c")
        }
        #expect(rows.message.contains("at most 10000 rows"), "\(rows)")
        let long = try #require(throws: StorageError.self) { try xp.run("SELECT '" + String(repeating: "x", count: 200_000) + "'") }
        #expect(long.message.contains("too big") || long.message.contains("too long"), "\(long)")
        // The host's own statements are not limited.
        let database = xp.database
        #expect(try database.query("SELECT length(zeroblob(2000000)) AS n").first?["n"] == .integer(2_000_000))
    }
}
