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
