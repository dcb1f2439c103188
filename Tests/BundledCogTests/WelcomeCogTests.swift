import CogKitTesting
import Foundation
import Testing

/// The `welcome` cog: greetings, the DM and the auto-role on join, the goodbye on leave.
@Suite("welcome through the cog test host")
struct WelcomeCogTests {
    static let newcomer = TestUser(id: 800_000_000_000_000_050, username: "dana")

    @Test func aMemberWhoJoinsIsGreetedMessagedAndGivenTheAutoRoleAndSaidGoodbyeTo() async throws {
        let bot = try await CogTestHost.start(cog: "welcome")
        try await bot.run("/welcome channel channel:\(CogTestHost.secondChannel)", as: .admin)
        try await bot.run("/welcome message template:Hi {user}, welcome to {guild}! ({member_count} members)", as: .admin)
        try await bot.run("/welcome dm template:Glad you're here, {name}.", as: .admin)
        try await bot.run("/welcome autorole role:\(CogTestHost.memberRole)", as: .admin)
        try await bot.run("/welcome goodbye template:{name} left {guild}.", as: .admin)

        await bot.memberJoins(Self.newcomer)
        let greeting = try #require(bot.postedMessages.first { $0.channelID == CogTestHost.secondChannel })
        #expect(greeting.message.content == "Hi <@\(Self.newcomer.id)>, welcome to Cogwheel Test Guild! (2 members)",
                "\(String(describing: greeting.message.content))")
        let roles = bot.restCalls.filter { $0.action == "add_role" }
        #expect(roles.count == 1 && roles.first?.userID == Self.newcomer.id && roles.first?.roleID == CogTestHost.memberRole)
        #expect(roles.first?.reason == "welcome: auto-role on join")
        #expect(bot.restCalls.contains { $0.action == "open_dm" })
        #expect(bot.postedMessages.contains { $0.message.content == "Glad you're here, dana." }, "\(bot.postedMessages.map(\.message.content))")

        await bot.memberLeaves(Self.newcomer)
        #expect(bot.postedMessages.last?.message.content == "dana left Cogwheel Test Guild.")
        await bot.stop()
    }

    @Test func anAutoRoleAboveTheBotIsRefusedByTheHostAndTheGreetingStillGoesOut() async throws {
        let bot = try await CogTestHost.start(cog: "welcome")
        try await bot.run("/welcome channel channel:\(CogTestHost.defaultChannel)", as: .admin)
        try await bot.run("/welcome autorole role:\(CogTestHost.roleAboveBot)", as: .admin)
        await bot.memberJoins(Self.newcomer)
        #expect(!bot.restCalls.contains { $0.action == "add_role" }, "the host sent a role Discord would refuse")
        #expect(bot.postedMessages.count == 1, "the greeting went out despite the refused role")
        await bot.stop()
    }

    @Test func onlyManagersConfigureItAndNothingIsPostedUntilAChannelIsChosen() async throws {
        let bot = try await CogTestHost.start(cog: "welcome")
        let refused = try await bot.run("/welcome channel channel:\(CogTestHost.defaultChannel)")
        #expect(refused.isEphemeral && refused.text.contains("Manage Server"), "\(refused.text)")
        await bot.memberJoins(Self.newcomer)
        #expect(bot.postedMessages.isEmpty && bot.restCalls.isEmpty)
        let shown = try await bot.run("/welcome show", as: .admin)
        #expect(shown.text.contains("greetings are off"), "\(shown.text)")
        await bot.stop()
    }
}
