import CogHost
import CogwheelTestSupport
import Foundation
import Synchronization
import Testing

@Suite("Transactional reload of real cog builds", .serialized)
struct ReloadTests {
    @Test("a reload serves the new build and hands over the old generation's state")
    func reloadServesNewBuild() async throws {
        var test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        #expect(try await test.reply("/probe")?.content == "probe 1.0.0 call 1")

        try test.install("testcog_probe_v2")
        let report = try await test.host.supervisor.reload("probe")
        #expect(report.fromGeneration == 1 && report.toGeneration == 2)
        #expect(report.toVersion == "2.0.0" && report.drained && !report.commandsChanged)
        #expect(try await test.reply("/probe")?.content == "probe 2.0.0 call 2")
        await test.stop()
    }

    @Test("the old generation answers calls that were in flight during the swap")
    func oldGenerationFinishesInFlightCalls() async throws {
        var test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        let slow = try await test.payload("/slow 300")
        let source = test.source
        async let inFlight = source.deliver(frame: slow)
        try await Task.sleep(for: .milliseconds(50))
        try test.install("testcog_probe_v2")
        let report = try await test.host.supervisor.reload("probe")
        #expect(report.drained)
        #expect(await inFlight.last?.message?.content == "slow 1.0.0 after 300 ms")
        #expect(try await test.reply("/slow 0")?.content == "slow 2.0.0 after 0 ms")
        await test.stop()
    }

    @Test("refused reloads leave the old generation serving", arguments: [
        ("testcog_probe_badinit", "initialisation failed: probe refuses to start"),
        ("testcog_abi_mismatch", "built for cog ABI version 99, this host supports version 1"),
        ("testcog_compiler_mismatch", "built with a different Swift toolchain"),
        ("testcog_bad_manifest", "invalid command manifest: commands[0].name 'Probe' must be lowercase"),
        ("testcog_probe_schema2", "cog probe: schema version 1 → 2 needs a full restart: restart the host"),
    ])
    func refusedReloadKeepsOldGeneration(product: String, expected: String) async throws {
        var test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        #expect(try await test.reply("/probe")?.content == "probe 1.0.0 call 1")
        try test.install(product)
        await #expect {
            try await test.host.supervisor.reload("probe")
        } throws: { error in
            (error as? CogLoadError)?.description.contains(expected) == true
        }
        #expect(try await test.reply("/probe")?.content == "probe 1.0.0 call 2")
        let status = await test.host.supervisor.statuses().first { $0.name == "probe" }
        #expect(status?.generation == 1)
        #expect(status?.lastError?.contains(expected) == true)
        await test.stop()
    }

    @Test("the admin's /reload reports a refusal and the old build keeps answering")
    func adminReloadReportsRefusal() async throws {
        var test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        try test.install("testcog_probe_schema2")
        let answer = try await test.reply("/reload probe", as: TestHost.admin)
        #expect(answer?.isEphemeral == true)
        #expect(answer?.content?.contains("schema version 1 → 2 needs a full restart") == true)
        #expect(try await test.reply("/probe")?.content == "probe 1.0.0 call 1")
        await test.stop()

        // After a restart the new schema version serves.
        var restarted = try await TestHost.start(in: test.directory)
        #expect(try await restarted.reply("/probe")?.content == "probe 3.0.0 call 1")
        await restarted.stop()
    }

    @Test("a reload that adds a capability says so to the operator, and /cogs shows each cog's capabilities and the denied ones")
    func reloadNamesAddedCapabilities() async throws {
        var test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")]) { configuration in
            configuration.capabilityDenials = try! CapabilityDenials(parsing: "probe=dm")
        }
        let cogs = try await test.reply("/cogs", as: TestHost.admin)
        #expect(cogs?.text.contains("may dm, files, members.moderate") == true && cogs?.text.contains("(denied: dm)") == true,
                "\(cogs?.text ?? "")")
        #expect(cogs?.text.contains("mentions.everyone") == false)
        try test.install("testcog_probe_v2")
        let reloaded = try await test.reply("/reload probe", as: TestHost.admin)?.content ?? ""
        #expect(reloaded.contains("Reloaded **probe**") && reloaded.contains("adds the capability `mentions.everyone`"), "\(reloaded)")
        try test.install("testcog_probe_v2")
        let again = try await test.reply("/reload probe", as: TestHost.admin)?.content ?? ""
        #expect(!again.contains("adds the capabilit"), "the same capabilities are no news: \(again)")
        await test.stop()
    }

    @Test("cooldowns survive a reload")
    func cooldownSurvivesReload() async throws {
        var test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        #expect(try await test.reply("/limited")?.content == "limited ok 1.0.0")
        try test.install("testcog_probe_v2")
        _ = try await test.host.supervisor.reload("probe")
        let blocked = try await test.reply("/limited")
        #expect(blocked?.isEphemeral == true)
        #expect(blocked?.content?.contains("Try again in") == true)
        // Another player has their own bucket, served by the new build.
        #expect(try await test.reply("/limited", as: TestHost.admin)?.content == "limited ok 2.0.0")
        await test.stop()
    }

    @Test("200 reloads of distinct builds in a loop, with RSS growth per reload reported")
    func manyReloads() async throws {
        var test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        let before = ProcessMemory.residentBytes()
        for round in 1...200 {
            let product = round.isMultiple(of: 2) ? "testcog_probe_v1" : "testcog_probe_v2"
            try test.install(product, trailer: Array("build \(round)".utf8))
            let report = try await test.host.supervisor.reload("probe")
            #expect(report.toGeneration == round + 1 && !report.sameBuild)
        }
        let growth = ProcessMemory.residentBytes() - before
        print("RSS growth over 200 reloads: \(growth / 1024) KiB, \(growth / 200 / 1024) KiB per reload")
        #expect(await test.host.supervisor.imagesMapped == 201)
        #expect(try await test.reply("/probe")?.content == "probe 1.0.0 call 1")
        await test.stop()
    }

    @Test("no interaction is lost or answered 'unavailable' while reloading 100 times under concurrent calls")
    func noInteractionLostDuringReloads() async throws {
        var test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        let payloads = try await (0..<8).asyncMap { _ in try await test.payload("/slow 1") }
        let source = test.source
        let supervisor = test.host.supervisor
        let directory = test.cogsDirectory
        let stop = ManagedFlag()
        let calls = LockedBox(0)
        let answered = try await withThrowingTaskGroup(of: [String].self) { group in
            for payload in payloads {
                group.addTask {
                    var texts: [String] = []
                    while !stop.isSet {
                        texts.append(await source.deliver(frame: payload).last?.message?.content ?? "(no answer)")
                        calls.withLock { $0 += 1 }
                    }
                    return texts
                }
            }
            for round in 1...100 {
                let product = round.isMultiple(of: 2) ? "testcog_probe_v1" : "testcog_probe_v2"
                try BuiltCogs.install(product, as: "probe", in: directory, trailer: Array("r\(round)".utf8))
                // On a busy machine the callers may not get a thread between reloads; keep
                // the reloads interleaved with calls, which is what the test is about.
                let before = calls.current
                while calls.current == before { try await Task.sleep(for: .milliseconds(1)) }
                _ = try await supervisor.reload("probe")
            }
            stop.set()
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let unexpected = answered.filter { !$0.hasPrefix("slow ") }
        print("answered \(answered.count) interactions during 100 reloads; unexpected answers: \(unexpected.count)")
        #expect(answered.count > 100)
        #expect(unexpected.isEmpty, "unexpected answers: \(Set(unexpected))")
        await test.stop()
    }
}

/// A flag set once, read from many tasks.
final class ManagedFlag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
