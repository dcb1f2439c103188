import CogKitTesting
import Testing

/// The `xp` cog as players and moderators use it, through the cog test host.
@Suite("xp through the cog test host")
struct XPCogTests {
    @Test func checkInsEarnXPThatRankAndLeaderboardShowAndTheDatabaseKeeps() async throws {
        let bot = try await CogTestHost.start(cog: "xp")
        let first = try await bot.run("/checkin")
        #expect(!first.isEphemeral, "\(first.text)")
        let again = try await bot.run("/checkin")
        #expect(again.isEphemeral, "a second check-in within the cooldown is refused: \(again.text)")
        try await bot.run("/checkin", as: .otherPlayer)
        let rank = try await bot.run("/rank")
        #expect(rank.text.contains("XP"), "\(rank.text)")
        let board = try await bot.run("/leaderboard")
        #expect(board.text.contains("bob") || board.text.contains("\(TestUser.player.id)"), "\(board.text)")
        let rows = try bot.query("SELECT user_id, xp FROM xp__members ORDER BY user_id")
        #expect(rows.count == 2)
        await bot.stop()
    }

    @Test func settingsNeedManageGuild() async throws {
        let bot = try await CogTestHost.start(cog: "xp")
        let refused = try await bot.run("/xp-settings xp:25")
        #expect(refused.isEphemeral && refused.text.contains("Manage Server"), "\(refused.text)")
        let change = try await bot.run("/xp-settings xp:25", as: .admin)
        #expect(change.text.contains("25"), "\(change.text)")
        let earned = try await bot.run("/checkin")
        #expect(earned.text.contains("25"), "\(earned.text)")
        await bot.stop()
    }

    @Test func theShowXPContextMenuShowsTheMemberItWasUsedOn() async throws {
        let bot = try await CogTestHost.start(cog: "xp")
        try await bot.run("/checkin", as: .otherPlayer)
        let shown = await bot.runUserCommand("Show XP", on: .otherPlayer)
        #expect(shown.text.contains("Carol") && shown.text.contains("XP"), "\(shown.text)")
        let nobody = await bot.runUserCommand("Show XP", on: .admin)
        #expect(nobody.isEphemeral && nobody.text.contains("no XP yet"), "\(nobody.text)")
        await bot.stop()
    }
}

/// XP per message, level-ups and role rewards (schema 3).
@Suite("xp per message through the cog test host")
struct XPMessageTests {
    @Test func aMessageEarnsXPOncePerCooldownAndALevelUpIsAnnouncedWithItsReward() async throws {
        let bot = try await CogTestHost.start(cog: "xp")
        try await bot.run("/xp-settings message_xp:50 announce_level_ups:true", as: .admin)
        let reward = try await bot.run("/xp-rewards add level:1 role:\(CogTestHost.memberRole)", as: .admin)
        #expect(reward.text.contains("level 1"), "\(reward.text)")
        await bot.say("hello everyone", as: .player)
        await bot.say("and again", as: .player)
        let rows = try bot.query("SELECT xp FROM xp__members WHERE user_id = ?", [.integer(Int64(bitPattern: TestUser.player.id))])
        #expect(rows.first?["xp"].integer == 50, "the second message within the cooldown earned nothing")
        let announcement = try #require(bot.postedMessages.last)
        #expect(announcement.channelID == CogTestHost.defaultChannel && announcement.message.content?.contains("reached level 1") == true,
                "\(String(describing: announcement.message.content))")
        let role = try #require(bot.restCalls.first { $0.action == "add_role" })
        #expect(role.userID == TestUser.player.id && role.roleID == CogTestHost.memberRole)
        await bot.stop()
    }

    @Test func aRewardAboveTheBotIsRefusedAndMessagesEarnNothingWhenTurnedOff() async throws {
        let bot = try await CogTestHost.start(cog: "xp")
        let above = try await bot.run("/xp-rewards add level:2 role:\(CogTestHost.roleAboveBot)", as: .admin)
        #expect(above.isEphemeral && above.text.contains("not below my highest role"), "\(above.text)")
        try await bot.run("/xp-settings message_xp:0", as: .admin)
        await bot.say("quiet", as: .player)
        #expect(try bot.query("SELECT xp FROM xp__members").isEmpty)
        await bot.stop()
    }
}
