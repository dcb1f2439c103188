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
}
