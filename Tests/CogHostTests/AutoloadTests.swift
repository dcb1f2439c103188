import CogHost
import CogwheelTestSupport
import Foundation
import Testing

@Suite("Autoload, persistence and crash attribution", .serialized)
struct AutoloadTests {
    @Test("a cog that fails to load is reported and skipped; the rest load")
    func failingCogSkipped() async throws {
        var test = try await TestHost.start(installing: [("ping", "ping"), ("testcog_bad_manifest", "probe")])
        #expect(test.startup.autoload.contains(.loaded("ping")))
        #expect(test.startup.autoload.contains { if case .failed("probe", _) = $0 { true } else { false } })
        #expect(try await test.reply("/ping")?.content?.contains("Pong!") == true)
        await test.stop()
    }

    @Test("/unload and /load change the persisted autoload list; a failed reload does not")
    func autoloadPersistence() async throws {
        var test = try await TestHost.start(installing: [("ping", "ping"), ("testcog_probe_v1", "probe")])
        _ = try await test.reply("/unload ping", as: TestHost.admin)
        try test.install("testcog_probe_badinit")
        _ = try await test.reply("/reload probe", as: TestHost.admin)
        #expect(await test.host.supervisor.hostState.autoload == ["probe"])
        await test.stop()

        var restarted = try await TestHost.start(in: test.directory)
        #expect(restarted.startup.autoload == [.failed("probe", reason: "cog probe: initialisation failed: probe refuses to start (test build)")])
        _ = try await restarted.reply("/load ping", as: TestHost.admin)
        #expect(await restarted.host.supervisor.hostState.autoload == ["probe", "ping"])
        await restarted.stop()
    }

    @Test("a process that dies inside a cog quarantines that cog on the next start")
    func crashQuarantinesCog() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-crash-\(UUID().uuidString)")
        try BuiltCogs.install("testcog_probe_v1", as: "probe", in: directory.appendingPathComponent("cogs"))
        try BuiltCogs.install("ping", as: "ping", in: directory.appendingPathComponent("cogs"))

        let run = try CogwheelProcess.run(["console", "--data-dir", directory.path, "--log-level", "critical"],
                                          input: "/ping\n/crash\n")
        #expect(run.status != 0, "the console should have died in the cog")

        var restarted = try await TestHost.start(in: directory)
        #expect(restarted.startup.previousCrash?.suspects.map(\.cog) == ["probe"])
        #expect(restarted.startup.previousCrash?.suspects.first?.route == "crash")
        #expect(restarted.startup.quarantined == ["probe"])
        #expect(restarted.startup.autoload.contains { if case .skippedQuarantined("probe", _) = $0 { true } else { false } })
        #expect(try await restarted.reply("/ping")?.content?.contains("Pong!") == true)

        // An admin's /load lifts the quarantine.
        let loaded = try await restarted.reply("/load probe", as: TestHost.admin)
        #expect(loaded?.content?.contains("Loaded **probe**") == true)
        #expect(await restarted.host.supervisor.hostState.quarantined.isEmpty)
        await restarted.stop()
    }

    @Test("a cog build older than the database's schema version is refused at start, with the reason")
    func schemaDowngradeRefused() async throws {
        let first = try await TestHost.start(installing: [("testcog_probe_schema2", "probe")])
        #expect(await first.host.supervisor.statuses().first { $0.name == "probe" }?.generation == 1)
        await first.stop()

        try first.install("testcog_probe_v1")
        let restarted = try await TestHost.start(in: first.directory)
        let failure = restarted.startup.autoload.compactMap { result -> String? in
            if case .failed("probe", let reason) = result { reason } else { nil }
        }.first
        #expect(failure?.contains("declares schema version 1, but the database is at version 2") == true, "\(restarted.startup.autoload)")
        #expect(await restarted.host.supervisor.statuses().first { $0.name == "probe" }?.generation == nil)
        await restarted.stop()
    }
}
