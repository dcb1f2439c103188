import Foundation
import Storage
import Testing

@Suite("The host's SQLite database")
struct StorageTests {
    static func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-db-\(UUID().uuidString)/cogwheel.sqlite3")
    }

    @Test("a new database file is private (0600), in WAL mode with synchronous=NORMAL")
    func settings() throws {
        let file = Self.temporaryFile()
        let database = try SQLiteDatabase(file: file)
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(try database.query("PRAGMA journal_mode").first?.values.first?.text == "wal")
        #expect(try database.query("PRAGMA synchronous").first?.values.first?.integer == 1)
        #expect(try database.query("PRAGMA temp_store").first?.values.first?.integer == 2)
    }

    @Test("parameters are bound, never spliced into the SQL")
    func boundParameters() throws {
        let database = try SQLiteDatabase(file: Self.temporaryFile())
        try database.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT, data BLOB)")
        let hostile = "'); DROP TABLE notes; --"
        try database.execute("INSERT INTO notes (text, data) VALUES (?, ?)", [.text(hostile), .blob([0, 1, 2])])
        let rows = try database.query("SELECT text, data FROM notes")
        #expect(rows.first?["text"] == .text(hostile))
        #expect(rows.first?["data"] == .blob([0, 1, 2]))
    }

    @Test("a transaction that throws leaves nothing behind")
    func rollback() throws {
        let database = try SQLiteDatabase(file: Self.temporaryFile())
        try database.execute("CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER)")
        #expect(throws: StorageError.self) {
            try database.transaction { scope in
                try scope.execute("INSERT INTO counters VALUES ('a', 1)")
                try scope.execute("INSERT INTO counters VALUES ('a', 2)")
            }
        }
        #expect(try database.query("SELECT count(*) AS n FROM counters").first?["n"] == .integer(0))
    }

    @Test("migrations run once, in order; a failing one rolls back and names the owner and migration")
    func migrations() throws {
        let database = try SQLiteDatabase(file: Self.temporaryFile())
        let good = SchemaMigrator(owner: "xp", migrations: [
            Migration(version: 2, "index", ["CREATE INDEX xp_points ON xp_members (points)"]),
            Migration(version: 1, "members", ["CREATE TABLE xp_members (user INTEGER PRIMARY KEY, points INTEGER)"]),
        ])
        #expect(try good.migrate(database).map(\.version) == [1, 2])
        #expect(try good.migrate(database).isEmpty)
        #expect(try good.recordedVersion(in: database) == 2)

        let broken = SchemaMigrator(owner: "xp", migrations: good.migrations + [
            Migration(version: 3, "levels", ["ALTER TABLE xp_members ADD COLUMN level INTEGER"]),
            Migration(version: 4, "typo", ["CREATE TABL oops (x)"]),
        ])
        do {
            try broken.migrate(database)
            Issue.record("a broken migration was applied")
        } catch let error as StorageError {
            #expect(error.context.contains("xp migration 4 (typo)"))
        }
        #expect(try good.recordedVersion(in: database) == 2)
        let columns = try database.query("PRAGMA table_info(xp_members)").compactMap { $0["name"].text }
        #expect(!columns.contains("level"), "migration 3 was rolled back with 4")
    }

    @Test("a database newer than the build is refused, not downgraded")
    func downgrade() throws {
        let database = try SQLiteDatabase(file: Self.temporaryFile())
        try SchemaMigrator(owner: "host", migrations: HostSchema.migrations + [Migration(version: 9, "future", [])]).migrate(database)
        #expect(throws: StorageError.self) { try SchemaMigrator(owner: "host", migrations: HostSchema.migrations).migrate(database) }
    }

    @Test("db check reports integrity, pages, WAL, schema versions and table rows")
    func check() throws {
        let database = try SQLiteDatabase(file: Self.temporaryFile())
        try SchemaMigrator(owner: HostSchema.owner, migrations: HostSchema.migrations).migrate(database)
        let check = try DatabaseCheck(database)
        #expect(check.isHealthy)
        #expect(check.pageCount > 0)
        #expect(check.schemaVersions["host"] == Int64(HostSchema.migrations.count))
        #expect(check.tables.map(\.name).contains("host_command_sync"))
        #expect(check.report.contains("integrity: ok"))

        let xp = CogStore(cog: "xp", database: database)
        _ = try xp.run("CREATE TABLE xp__members (user_id INTEGER PRIMARY KEY, note TEXT)")
        _ = try xp.run("CREATE INDEX xp__members_by_note ON xp__members (note)")
        for user in 1...500 { _ = try xp.run("INSERT INTO xp__members VALUES (?, ?)", [.integer(Int64(user)), .text(String(repeating: "n", count: 200))]) }
        try xp.setValue([1], for: "rate", at: .guild(1))
        let usage = try #require(try DatabaseCheck(database).cogs.first { $0.cog == "xp" })
        #expect(usage.tables == 1 && usage.keyValueEntries == 1)
        #expect(usage.tableBytes > 100 * 1024, "500 rows of 200 bytes plus an index")
        #expect(try DatabaseCheck(database).report.contains("cog xp: 1 tables"))
    }

    @Test("a file that is not a database is refused with a clear error, and left untouched")
    func corruptFile() throws {
        let file = Self.temporaryFile()
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let garbage = Data(repeating: 0x42, count: 8192)
        try garbage.write(to: file)
        #expect(throws: StorageError.self) { _ = try SQLiteDatabase(file: file) }
        #expect(try Data(contentsOf: file) == garbage)
    }
}

@Suite("Database upkeep")
struct DatabaseUpkeepTests {
    @Test("with background checkpoints, commits leave the WAL alone and checkpoint() copies all of it")
    func backgroundCheckpoints() throws {
        func walFramesAfterCommits(background: Bool) throws -> (walFrames: Int64, checkpointed: Int64) {
            let database = try SQLiteDatabase(file: StorageTests.temporaryFile(), backgroundCheckpoints: background)
            try database.execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, payload BLOB)")
            for id in 1...1_500 { try database.execute("INSERT INTO blobs VALUES (?, randomblob(3000))", [.integer(Int64(id))]) }
            return try database.checkpoint()
        }
        let background = try walFramesAfterCommits(background: true)
        #expect(background.walFrames > 1_500, "no commit checkpointed: every commit's frames are still in the WAL")
        #expect(background.checkpointed == background.walFrames)
        let automatic = try walFramesAfterCommits(background: false)
        #expect(automatic.walFrames < 1_100, "SQLite's automatic checkpoints restarted the WAL along the way")
    }

    @Test("VACUUM runs only on a fragmented file, and gives the free pages back")
    func vacuum() throws {
        let database = try SQLiteDatabase(file: StorageTests.temporaryFile())
        try database.execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, payload BLOB)")
        try database.execute("""
            WITH RECURSIVE ids(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM ids WHERE id < 2000)
            INSERT INTO blobs SELECT id, randomblob(4000) FROM ids
            """)
        #expect(try database.vacuumIfFragmented() == 0, "nothing to reclaim yet")
        try database.execute("DELETE FROM blobs WHERE id > 100")
        let reclaimed = try database.vacuumIfFragmented()
        #expect(reclaimed > 5_000_000)
        #expect(try database.query("PRAGMA freelist_count").first?.values.first == .integer(0))
        #expect(try database.query("SELECT count(*) AS n FROM blobs").first?["n"] == .integer(100))
    }
}
