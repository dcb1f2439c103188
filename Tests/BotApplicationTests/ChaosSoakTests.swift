import ChaosSoak
import CogwheelTestSupport
import Foundation
import Testing

/// The bot under every fault the simulator can make, and a SIGTERM restart: no command lost,
/// none answered twice. CI runs it briefly; `scripts/bench.sh --only chaos` runs it for ten
/// minutes (BENCHMARKS.md).
@Suite("Chaos soak: commands at a steady rate through faults and restarts")
struct ChaosSoakTests {
    @Test("every command delivered is answered exactly once, through gateway and REST faults and a SIGTERM restart")
    func soak() async throws {
        let seconds = ProcessInfo.processInfo.environment["COGWHEEL_CHAOS_SECONDS"].flatMap(Double.init) ?? 20
        let cogs = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-chaos-cogs-\(UUID().uuidString)")
        try BuiltCogs.install("ping", as: "ping", in: cogs)
        try BuiltCogs.install("testcog_probe_v1", as: "probe", in: cogs)
        defer { try? FileManager.default.removeItem(at: cogs) }
        var settings = ChaosSoak.Settings(executable: BuiltCogs.binDirectory.appendingPathComponent("cogwheel"), cogsDirectory: cogs,
                                          duration: .seconds(seconds))
        settings.commandsPerSecond = 10
        // One command in ten answers after the host's automatic deferral, through the faults too.
        settings.cogs = ["ping", "probe"]
        settings.slowCommand = "/slow ms:3000"
        let report = try await ChaosSoak(settings: settings).run()
        print(report.summary)
        #expect(report.sent >= Int(seconds * 5), "\(report.summary)")
        #expect(report.lost == 0, "\(report.summary)\n\(report.outputs)")
        #expect(report.answeredTwice == 0, "\(report.summary)")
        #expect(report.cleanRestarts, "every SIGTERM exits 0: \(report.summary)\n\(report.outputs)")
        #expect(report.resumes >= 1, "the restart resumed the session: \(report.summary)")
        #expect(report.faults.values.reduce(0, +) >= Int(seconds / 3), "\(report.faults)")
    }
}
