import CogHost
import CogwheelTestSupport
import Foundation
import Testing

/// `cogwheel run --watch`: a change to a cog's sources rebuilds and reloads it; a failed build
/// leaves the running generation serving. The "build" here installs prebuilt cog builds, so the
/// test exercises change detection, the reload and the reports without running the compiler
/// (scripts/check-external-cog.sh builds a real package).
@Suite("Watch mode")
struct WatchModeTests {
    @Test func aSavedChangeReloadsAndABrokenBuildKeepsTheOldGenerationServing() async throws {
        var test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        let sources = test.directory.appendingPathComponent("probe-sources")
        try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
        let file = sources.appendingPathComponent("ProbeCog.swift")
        try Data("// v1".utf8).write(to: file)
        let nextBuild = LockedBox<String?>("testcog_probe_v2")
        let reports = LockedBox<[String]>([])
        let cogs = test.cogsDirectory
        let watcher = CogWatcher(
            supervisor: test.host.supervisor, watched: [.init(cog: "probe", sources: sources)], interval: .milliseconds(50),
            build: { cog in
                guard let product = nextBuild.current else { throw TestSetupError("error: expected ';' after expression") }
                try BuiltCogs.install(product, as: cog, in: cogs)
            },
            report: { line in reports.withLock { $0.append(line) } }
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await watcher.run() }
            try await waitUntil("the watcher starts") { reports.current.contains { $0.hasPrefix("watching probe") } }
            #expect(try await test.reply("/probe")?.content?.contains("probe 1.0.0") == true)

            try Data("// v2, a longer file".utf8).write(to: file)
            try await waitUntil("the reload is reported") { reports.current.contains { $0.hasPrefix("✓ reloaded probe") } }
            #expect(try await test.reply("/probe")?.content?.contains("probe 2.0.0") == true)

            nextBuild.withLock { $0 = nil }
            try Data("// broken, and longer still".utf8).write(to: file)
            try await waitUntil("the failed build is reported") { reports.current.contains { $0.contains("the build failed") } }
            #expect(reports.current.last?.contains("expected ';'") == true, "the compiler's complaint is shown: \(reports.current)")
            #expect(try await test.reply("/probe")?.content?.contains("probe 2.0.0") == true)

            nextBuild.withLock { $0 = "testcog_probe_badinit" }
            try Data("// compiles, but init throws; the longest file".utf8).write(to: file)
            try await waitUntil("the refused reload is reported") { reports.current.last?.hasPrefix("✗ probe:") == true && reports.current.count >= 6 }
            #expect(try await test.reply("/probe")?.content?.contains("probe 2.0.0") == true)
            group.cancelAll()
        }
        await test.stop()
    }

    private func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw TestSetupError("timed out waiting until \(what)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
