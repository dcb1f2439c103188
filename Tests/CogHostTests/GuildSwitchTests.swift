import CogHost
import CogwheelTestSupport
import Foundation
import Storage
import Testing

@Suite("Turning cogs and commands off per guild")
struct GuildSwitchTests {
    @Test("/cog disable turns a cog or one command off in that guild only, persists across restarts, and is audited")
    func perGuildSwitches() async throws {
        var test = try await TestHost.start(installing: [("dice", "dice")])
        #expect(try await test.reply("/roll 1d6")?.content?.contains("rolled") == true)

        #expect(try await test.reply("/cog disable dice", as: TestHost.player)?.content?.contains("Manage Server") == true)
        #expect(try await test.reply("/cog disable dice", as: TestHost.admin)?.content == "✅ Turned `dice` off in this server.")
        let refused = try #require(try await test.reply("/roll 1d6"))
        #expect(refused.content == "This command is turned off in this server.")
        #expect(refused.isEphemeral)
        #expect(try await test.reply("/coin")?.content == "This command is turned off in this server.")
        #expect(try await test.reply("/roll 1d6", guild: 101)?.content?.contains("rolled") == true)

        #expect(try await test.reply("/cog enable dice", as: TestHost.admin)?.content == "✅ Turned `dice` back on in this server.")
        #expect(try await test.reply("/cog disable /coin", as: TestHost.admin)?.content == "✅ Turned `/coin` off in this server.")
        #expect(try await test.reply("/roll 1d6")?.content?.contains("rolled") == true)
        #expect(try await test.reply("/coin")?.content == "This command is turned off in this server.")
        #expect(try await test.reply("/cog list", as: TestHost.admin)?.content == "✅ Turned off in this server: `/coin`")
        #expect(try await test.reply("/cog disable nosuchcog", as: TestHost.admin)?.content?.hasPrefix("❌ There is no cog named") == true)
        #expect(try await test.reply("/cog disable /reload", as: TestHost.admin)?.content
            == "❌ The host's own commands cannot be turned off.")

        let actions = try AdminAuditLog(database: test.host.database).recent(limit: 10, guild: nil).map { "\($0.action) \($0.target ?? "") \($0.result)" }
        #expect(actions.prefix(4) == ["cog disable /reload failed", "cog disable nosuchcog failed", "cog disable /coin succeeded",
                                      "cog enable dice succeeded"])
        let directory = test.directory
        await test.stop()

        var restarted = try await TestHost.start(in: directory)
        #expect(try await restarted.reply("/coin")?.content == "This command is turned off in this server.")
        #expect(try await restarted.reply("/coin", guild: 101)?.content?.contains("🪙") == true)
        await restarted.stop()
    }

    @Test("a cog turned off in a guild does not hear its buttons there either")
    func componentsAreTurnedOffToo() async throws {
        var test = try await TestHost.start(installing: [("polls", "polls")])
        #expect(try await test.reply("/cog disable polls", as: TestHost.admin)?.content == "✅ Turned `polls` off in this server.")
        let here = await test.click("polls:vote:1:0")
        #expect(here.last?.message?.content == "This command is turned off in this server.", "\(here)")
        let elsewhere = await test.click("polls:vote:1:0", guild: 101)
        #expect(elsewhere.last?.message?.content != "This command is turned off in this server.", "\(elsewhere)")
        await test.stop()
    }
}
