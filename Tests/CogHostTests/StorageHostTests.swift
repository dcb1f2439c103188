import CogHost
import CogwheelTestSupport
import DiscordModels
import Foundation
import Storage
import Testing

@Suite("Cog storage through the ABI, migrations at start-up, schema-gated reload")
struct StorageHostTests {
    static let manager = InteractionFactory.Invoker(id: 9, username: "manager", permissions: 1 << 5)

    @Test("a cog reaches every key-value scope through the ABI; defaults apply until set and after a reset")
    func keyValueThroughTheABI() async throws {
        var test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        let answer = try #require(try await test.reply("/remember note:hi")?.content)
        #expect(answer == """
            global=hi/global
            guild=hi/guild
            channel=hi/channel
            user=hi/user
            member=hi/member
            members=1
            global after reset=(nothing)
            """)
        await test.stop()
    }

    @Test("a cog's SQL cannot reach host tables or ATTACH; the player gets the reason, the database is untouched", arguments: [
        "SELECT hash FROM host_command_sync",
        "SELECT value FROM host_cog_kv",
        "ATTACH DATABASE 'x.sqlite3' AS x",
        "SELECT name FROM sqlite_schema",
    ])
    func isolationThroughTheABI(statement: String) async throws {
        var test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        _ = try await test.reply("/remember note:secret")
        let answer = try #require(try await test.reply("/sql \(statement)"))
        #expect(answer.isEphemeral)
        #expect(answer.content?.hasPrefix("refused (denied)") == true, "\(answer.content ?? "")")
        #expect(try test.host.database.query("SELECT count(*) AS n FROM host_cog_kv").first?["n"] == .integer(4))
        await test.stop()
    }

    @Test("xp: check-ins earn XP per guild settings, with a cooldown; rank and leaderboard read the table")
    func xpCommands() async throws {
        var test = try await TestHost.start(installing: [("xp", "xp")])
        #expect(try await test.reply("/rank")?.content?.contains("no XP yet") == true)
        let first = try #require(try await test.reply("/checkin")?.content)
        #expect(first.contains("+15 XP") && first.contains("15 XP, level 0"))
        let again = try #require(try await test.run("/checkin").last?.message)
        #expect(again.isEphemeral && again.content?.contains("already checked in") == true)

        let refused = try #require(try await test.reply("/xp-settings xp:100"))
        #expect(refused.content?.contains("Manage Server") == true)
        let changed = try await test.reply("/xp-settings xp:100 cooldown_minutes:0", as: Self.manager)?.content
        #expect(changed == "XP per check-in: 100; cooldown: 0 minutes. XP per message: 5, at most every 60 s; level-ups not announced.")
        #expect(try await test.reply("/checkin", as: Self.manager)?.content?.contains("100 XP, level 1") == true)
        #expect(try await test.reply("/checkin")?.content?.contains("115 XP, level 1") == true)

        let rank = try #require(try await test.reply("/rank")?.embeds?.first)
        #expect(rank.title == "Player — rank #1")
        #expect(rank.fields?.contains { $0.name == "Streak" } == true)
        let board = try #require(try await test.reply("/leaderboard")?.embeds?.first?.description)
        #expect(board == "1. <@7> — 115 XP (level 1)\n2. <@9> — 100 XP (level 1)")
        await test.stop()
    }

    @Test("a schema change is refused by /reload, then migrated at restart after a backup, keeping the data")
    func schemaGatedReloadThenRestart() async throws {
        var test = try await TestHost.start(installing: [("testcog_xp_v1", "xp")])
        #expect(try await test.reply("/checkin")?.content?.contains("+15 XP") == true)
        try test.install("xp", as: "xp")
        let refusal = try await test.reply("/reload xp", as: TestHost.admin)?.content
        #expect(refusal?.contains("schema version 1 → 3 needs a full restart") == true, "\(refusal ?? "")")
        let v1Rank = try #require(try await test.reply("/rank")?.embeds?.first)
        #expect(v1Rank.fields?.contains { $0.name == "Streak" } == false)
        await test.stop()

        var restarted = try await TestHost.start(in: test.directory)
        let backup = try #require(restarted.startup.migrations.backup)
        #expect(FileManager.default.fileExists(atPath: backup.path))
        #expect(restarted.startup.migrations.applied == ["cog:xp: 2 (check-in streaks)", "cog:xp: 3 (XP per message and level rewards)"])
        let rank = try #require(try await restarted.reply("/rank")?.embeds?.first)
        #expect(rank.fields?.first { $0.name == "XP" }?.value.hasPrefix("15 ") == true)
        #expect(rank.fields?.first { $0.name == "Streak" }?.value == "0 days")
        await restarted.stop()
    }

    @Test("a failing migration rolls back, names cog, migration, SQLite error and backup, and the host does not start")
    func failingMigration() async throws {
        var test = try await TestHost.start(installing: [("testcog_xp_v1", "xp")])
        _ = try await test.reply("/checkin")
        await test.stop()
        try test.install("testcog_xp_badmigration", as: "xp")

        let error = try await #require(throws: StartupMigrationError.self) { try await TestHost.start(in: test.directory) }
        #expect(error.owner == "cog:xp")
        #expect(error.description.contains("cog:xp migration 2 (streaks, twice)"))
        #expect(error.description.contains("duplicate column name: streak"))
        let backup = try #require(error.backup)
        #expect(error.description.contains(backup.path) && FileManager.default.fileExists(atPath: backup.path))

        let database = try SQLiteDatabase(file: test.directory.appendingPathComponent("cogwheel.sqlite3"))
        let columns = try database.query("PRAGMA table_info(xp__members)").compactMap { $0["name"].text }
        #expect(!columns.contains("streak"))
        #expect(try database.query("SELECT version FROM cogwheel_schema WHERE owner = 'cog:xp'").first?["version"] == .integer(1))
        #expect(try database.query("SELECT xp FROM xp__members").first?["xp"] == .integer(15))
        #expect(DataDirectoryLock.holder(in: test.directory) == nil, "the refused start released the data directory")
    }

    @Test("an older build than the database is refused with the versions, and /load of a cog with pending migrations asks for a restart")
    func downgradeAndPendingLoad() async throws {
        let test = try await TestHost.start(installing: [("xp", "xp")])
        await test.stop()
        try test.install("testcog_xp_v1", as: "xp")
        let older = try await TestHost.start(in: test.directory)
        guard case .failed("xp", let reason)? = older.startup.autoload.first else {
            Issue.record("expected the downgrade to be refused: \(older.startup.autoload)")
            return
        }
        #expect(reason.contains("declares schema version 1, but the database is at version 3"))
        await older.stop()

        var fresh = try await TestHost.start(configure: { $0.autoload = [] })
        try fresh.install("xp", as: "xp")
        let answer = try await fresh.reply("/load xp", as: TestHost.admin)?.content
        #expect(answer?.contains("restart the host, which backs up the database and migrates") == true, "\(answer ?? "")")
        await fresh.stop()
    }

    @Test("/backup answers 'thinking' at once, then reports the file and its size; players may not run it")
    func backupCommand() async throws {
        var test = try await TestHost.start(installing: [("xp", "xp")])
        _ = try await test.reply("/checkin")
        let responses = try await test.run("/backup", as: TestHost.admin)
        #expect(responses.count == 2, "a deferral, then the edit: \(responses)")
        let report = try #require(responses.last?.message?.content)
        #expect(report.hasPrefix("✅ Backed up to `cogwheel-") && report.contains("KiB"), "\(report)")
        let file = try #require(test.host.configuration.backups.existing().first)
        #expect(report.contains(file.lastPathComponent))
        #expect(try await test.reply("/backup")?.content?.contains("admin") == true)
        await test.stop()
    }
}
