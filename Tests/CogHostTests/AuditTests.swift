import CogHost
import CogwheelTestSupport
import Foundation
import Storage
import Testing

@Suite("The admin audit log")
struct AuditTests {
    @Test("admin actions and refused attempts are recorded with who, what, result and duration; /audit lists them newest first")
    func auditTrail() async throws {
        var test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        try test.install("testcog_probe_schema2")
        _ = try await test.run("/reload probe", as: TestHost.admin)
        _ = try await test.run("/reload probe", as: TestHost.player)
        try test.install("testcog_probe_v2")
        _ = try await test.run("/reload probe", as: TestHost.admin)
        _ = try await test.run("/backup", as: TestHost.admin)

        let entries = try AdminAuditLog(database: test.host.database).recent(limit: 10, guild: nil)
        #expect(entries.map(\.action) == ["backup", "reload", "reload", "reload"])
        #expect(entries.map(\.result) == [.succeeded, .succeeded, .forbidden, .failed])
        #expect(entries.map(\.userID) == [TestHost.admin.id, TestHost.admin.id, TestHost.player.id, TestHost.admin.id])
        #expect(entries[3].target == "probe" && entries[3].detail.contains("needs a full restart"))
        #expect(entries.allSatisfy { $0.duration >= .zero && abs($0.at.timeIntervalSinceNow) < 60 })

        let listing = try #require(try await test.reply("/audit count:3", as: TestHost.admin)?.embeds?.first?.description)
        let lines = listing.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("✅") && lines[0].contains("<@\(TestHost.admin.id)> /backup"))
        #expect(lines[2].hasPrefix("⛔") && lines[2].contains("<@\(TestHost.player.id)> /reload probe"))
        #expect(try await test.reply("/audit", as: TestHost.player)?.content?.contains("Manage Server") == true)
        await test.stop()
    }
}
