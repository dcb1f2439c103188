import CogKitTesting
import Foundation
import Testing

/// The `reactionroles` cog: reactions and panel buttons that give and take roles.
@Suite("reactionroles through the cog test host")
struct ReactionRolesCogTests {
    @Test func aReactionGivesTheRoleAndRemovingItTakesTheRoleAway() async throws {
        let bot = try await CogTestHost.start(cog: "reactionroles")
        let rules = await bot.say("React with 🎮 to get the gamer role", as: .admin)
        let added = try await bot.run("/reactionrole add message:\(rules) emoji:🎮 role:\(CogTestHost.memberRole)", as: .admin)
        #expect(added.text.contains("now gives <@&\(CogTestHost.memberRole)>"), "\(added.text)")
        #expect(bot.restCalls.contains { $0.action == "react" && $0.messageID == rules && $0.emoji == "🎮" }, "the bot shows the reaction")

        await bot.react("🎮", to: rules, as: .player)
        let given = try #require(bot.restCalls.last)
        #expect(given.action == "add_role" && given.userID == TestUser.player.id && given.roleID == CogTestHost.memberRole, "\(given)")
        await bot.react("🎲", to: rules, as: .player)
        #expect(bot.restCalls.last == given, "an emoji with no role does nothing")
        await bot.unreact("🎮", to: rules, as: .player)
        let taken = try #require(bot.restCalls.last)
        #expect(taken.action == "remove_role" && taken.userID == TestUser.player.id && taken.roleID == CogTestHost.memberRole)

        let list = try await bot.run("/reactionrole list", as: .admin)
        #expect(list.text.contains("🎮 → <@&\(CogTestHost.memberRole)>"), "\(list.text)")
        try await bot.run("/reactionrole remove message:\(rules) emoji:🎮", as: .admin)
        await bot.react("🎮", to: rules, as: .otherPlayer)
        #expect(!bot.restCalls.contains { $0.userID == TestUser.otherPlayer.id }, "a removed binding gives nothing")
        await bot.stop()
    }

    @Test func theBindingsKeepWorkingAcrossAReload() async throws {
        let bot = try await CogTestHost.start(cog: "reactionroles")
        let rules = await bot.say("pick", as: .admin)
        try await bot.run("/reactionrole add message:\(rules) emoji:🎮 role:\(CogTestHost.memberRole)", as: .admin)
        let panel = try await bot.run("/reactionrole panel title:Roles first:\(CogTestHost.memberRole)", as: .admin)
        try await bot.reload(library: bot.directory.appendingPathComponent("cogs/libreactionroles.so"))
        await bot.react("🎮", to: rules, as: .player)
        #expect(bot.restCalls.last?.action == "add_role" && bot.restCalls.last?.userID == TestUser.player.id)
        let label = try #require(panel.message?.controls.first?.label)
        let clicked = try await bot.click(label, in: panel, as: .otherPlayer)
        #expect(clicked.text.contains("You now have"), "a panel posted before the reload still works: \(clicked.text)")
        await bot.stop()
    }

    @Test func aRoleAboveTheBotIsRefusedAtSetUpAndOnlyRoleManagersSetUp() async throws {
        let bot = try await CogTestHost.start(cog: "reactionroles")
        let message = await bot.say("pick a role", as: .admin)
        let above = try await bot.run("/reactionrole add message:\(message) emoji:👑 role:\(CogTestHost.roleAboveBot)", as: .admin)
        #expect(above.isEphemeral && above.text.contains("not below my highest role"), "\(above.text)")
        let player = try await bot.run("/reactionrole add message:\(message) emoji:👑 role:\(CogTestHost.memberRole)")
        #expect(player.isEphemeral && player.text.contains("Manage Roles"), "\(player.text)")
        #expect(bot.restCalls.isEmpty)
        await bot.stop()
    }

    @Test func aManagerHandsOutOnlyRolesBelowTheirOwnAndOnlyMessagesOfThisServer() async throws {
        let bot = try await CogTestHost.start(cog: "reactionroles")
        // Manage Roles, holding Moderator (position 5): Member (1) is theirs to hand out, Moderator itself is not.
        let manager = TestUser(id: 800_000_000_000_000_070, username: "manny", permissions: 1 << 28)
        await bot.memberJoins(manager, roles: [CogTestHost.moderatorRole])
        // Said by the owner: the harness's messages carry no roles, which would reset the manager's in the cache.
        let message = await bot.say("pick", as: .admin)
        let own = try await bot.run("/reactionrole add message:\(message) emoji:🛡 role:\(CogTestHost.moderatorRole)", as: manager)
        #expect(own.isEphemeral && own.text.contains("not below your highest role"), "\(own.text)")
        let panel = try await bot.run("/reactionrole panel title:Mods first:\(CogTestHost.moderatorRole)", as: manager)
        #expect(panel.isEphemeral && panel.text.contains("not below your highest role"), "\(panel.text)")
        let below = try await bot.run("/reactionrole add message:\(message) emoji:🎮 role:\(CogTestHost.memberRole)", as: manager)
        #expect(below.text.contains("now gives"), "\(below.text)")
        let elsewhere = "https://discord.com/channels/123/\(CogTestHost.defaultChannel)/\(message)"
        let foreign = try await bot.run("/reactionrole add message:\(elsewhere) emoji:🎮 role:\(CogTestHost.memberRole)", as: .admin)
        #expect(foreign.isEphemeral && foreign.text.contains("another server"), "\(foreign.text)")
        await bot.stop()
    }

    @Test func aPanelButtonTogglesTheRole() async throws {
        let bot = try await CogTestHost.start(cog: "reactionroles")
        let panel = try await bot.run("/reactionrole panel title:Pick your roles first:\(CogTestHost.memberRole)", as: .admin)
        #expect(panel.message?.controls.count == 1, "\(panel.text)")
        let label = try #require(panel.message?.controls.first?.label)
        let got = try await bot.click(label, in: panel)
        #expect(got.isEphemeral && got.text.contains("You now have"), "\(got.text)")
        #expect(bot.restCalls.last?.action == "add_role")
        await bot.memberUpdated(.player, roles: [CogTestHost.memberRole])
        let gave = try await bot.click(label, in: panel)
        #expect(gave.text.contains("no longer have"), "\(gave.text)")
        #expect(bot.restCalls.last?.action == "remove_role")
        await bot.stop()
    }
}
