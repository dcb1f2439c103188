import CogHost
import Foundation
import Testing

/// Jobs are kept in the database: a restart resumes the schedule, runs a missed run once, and
/// a reload or an unload rebinds or stops the cog's jobs.
@Suite("Scheduled jobs across restarts, reloads and unloads")
struct JobPersistenceTests {
    static let monday8 = Date(timeIntervalSince1970: 1_767_600_000)   // 2026-01-05 08:00 UTC

    static func start(in directory: URL? = nil, at date: Date) async throws -> TestHost {
        try await TestHost.start(installing: directory == nil ? [("gazette", "gazette")] : [], in: directory) {
            $0.clock = .manual(startingAt: date)
            $0.backupInterval = nil
        }
    }

    @Test("a daily run missed during downtime runs once after the restart, then the schedule resumes")
    func restartRunsMissedJobOnce() async throws {
        let first = try await Self.start(at: Self.monday8)
        let listed = try first.host.jobs.listing()
        #expect(listed.map(\.job) == ["daily-digest"])
        #expect(listed.first?.nextRun == Self.monday8.addingTimeInterval(3600))
        await first.stop()

        // Back on Wednesday 10:00: Monday's and Tuesday's and Wednesday's 09:00 runs were missed.
        let wednesday10 = Self.monday8.addingTimeInterval(2 * 86_400 + 2 * 3600)
        let second = try await Self.start(in: first.directory, at: wednesday10)
        #expect(try second.host.jobs.listing().first?.nextRun == Self.monday8.addingTimeInterval(3600), "kept across the restart")
        await second.host.jobs.runDue()
        let after = try #require(try second.host.jobs.listing().first)
        #expect(after.lastOutcome?.hasPrefix("ok") == true, "\(after)")
        #expect(after.lastRun == wednesday10)
        #expect(after.nextRun == wednesday10.addingTimeInterval(23 * 3600), "Thursday 09:00")
        await second.host.jobs.runDue()
        #expect(try second.host.jobs.listing().first?.lastRun == wednesday10, "ran once, not three times")
        await second.stop()
        try? FileManager.default.removeItem(at: first.directory)
    }

    @Test("a reload keeps the job's next run; an unload stops it and /jobs lists it no more")
    func reloadAndUnload() async throws {
        var test = try await Self.start(at: Self.monday8)
        try test.install("gazette", as: "gazette")
        _ = try await test.host.supervisor.reload("gazette")
        #expect(try test.host.jobs.listing().first?.nextRun == Self.monday8.addingTimeInterval(3600))
        let jobs = try #require(try await test.reply("/jobs", as: TestHost.admin))
        #expect(jobs.text.contains("gazette · daily-digest") && jobs.text.contains("0 9 * * * (UTC)"), "\(jobs.text)")
        try await test.host.supervisor.unload("gazette", persist: true)
        #expect(try test.host.jobs.listing().isEmpty)
        let none = try #require(try await test.reply("/jobs", as: TestHost.admin))
        #expect(none.text.contains("No cog has scheduled jobs"), "\(none.text)")
        await test.stop()
        try? FileManager.default.removeItem(at: test.directory)
    }
}
