import CogKitTesting
import Foundation
import Testing

/// The `moderation` cog: actions with cases and a mod log, and the mod log of what happened without the bot.
@Suite("moderation through the cog test host")
struct ModerationCogTests {
    /// A moderator (Timeout Members, Kick Members, Manage Messages) holding the Moderator role.
    static let moderator = TestUser(id: 800_000_000_000_000_060, username: "mo", permissions: 1 << 40 | 1 << 1 | 1 << 13)

    static func started() async throws -> CogTestHost {
        let bot = try await CogTestHost.start(cog: "moderation", cachedMessages: 50)
        try await bot.run("/modlog channel channel:\(CogTestHost.secondChannel)", as: .admin)
        await bot.memberJoins(moderator, roles: [CogTestHost.moderatorRole])
        await bot.memberJoins(.player, roles: [CogTestHost.memberRole])
        return bot
    }

    @Test func aTimeoutIsSentWithItsReasonRecordedAsACaseAndLogged() async throws {
        let bot = try await Self.started()
        let reply = try await bot.run("/timeout member:\(TestUser.player.id) minutes:10 reason:spamming links", as: Self.moderator)
        #expect(reply.text.contains("Case #1") && reply.text.contains("timed out <@\(TestUser.player.id)>"), "\(reply.text)")
        let sent = try #require(bot.restCalls.first { $0.action == "edit_member" })
        #expect(sent.userID == TestUser.player.id && sent.reason == "mo: spamming links")
        #expect(sent.body?.contains("communication_disabled_until") == true, "\(sent.body ?? "")")
        let logged = try #require(bot.postedMessages.last)
        #expect(logged.channelID == CogTestHost.secondChannel && logged.message.text.contains("Case #1: timeout"), "\(logged.message.text)")
        let shown = try await bot.run("/case number:1", as: Self.moderator)
        #expect(shown.text.contains("spamming links"), "\(shown.text)")
        try await bot.run("/warn member:\(TestUser.player.id) reason:be nice", as: Self.moderator)
        let history = try await bot.run("/cases member:\(TestUser.player.id)", as: Self.moderator)
        #expect(history.text.contains("#2") && history.text.contains("#1"), "\(history.text)")
        await bot.stop()
    }

    @Test func theModeratorsOwnPermissionAndRoleAndTheBotsAreChecked() async throws {
        let bot = try await Self.started()
        let noPermission = try await bot.run("/ban member:\(TestUser.otherPlayer.id)", as: Self.moderator)
        #expect(noPermission.isEphemeral && noPermission.text.contains("Ban Members"), "\(noPermission.text)")
        let senior = TestUser(id: 800_000_000_000_000_061, username: "sam")
        await bot.memberJoins(senior, roles: [CogTestHost.roleAboveBot])
        let above = try await bot.run("/kick member:\(senior.id)", as: Self.moderator)
        #expect(above.isEphemeral && above.text.contains("Your highest role must be above"), "\(above.text)")
        // The owner may moderate anyone, but the bot cannot act on a member above its own role.
        let refused = try await bot.run("/kick member:\(senior.id) reason:test", as: .admin)
        #expect(refused.isEphemeral && refused.text.contains("their highest role is not below the bot's"), "\(refused.text)")
        #expect(!bot.restCalls.contains { $0.action == "kick" }, "a refused action reached Discord")
        let stranger = try await bot.run("/kick member:\(TestUser.otherPlayer.id)", as: Self.moderator)
        #expect(stranger.isEphemeral && stranger.text.contains("not a member of this server"), "\(stranger.text)")
        let owner = try await bot.run("/timeout member:\(TestUser.admin.id) minutes:5", as: Self.moderator)
        #expect(owner.text.contains("owner"), "\(owner.text)")
        await bot.stop()
    }

    @Test func purgeDeletesTheRecentMessagesAtOnce() async throws {
        let bot = try await Self.started()
        for index in 1...3 { await bot.say("spam \(index)", as: .player) }
        let purged = try await bot.run("/purge count:3 reason:cleanup", as: Self.moderator)
        #expect(purged.text.contains("deleted 3 messages"), "\(purged.text)")
        let call = try #require(bot.restCalls.first { $0.action == "bulk_delete" })
        #expect(call.reason == "mo: cleanup" && call.channelID == CogTestHost.defaultChannel)
        await bot.stop()
    }

    @Test func theModLogShowsDeletedAndEditedMessagesLeavesAndOutsideBans() async throws {
        let bot = try await Self.started()
        let said = await bot.say("my secret is 42", as: .player)
        await bot.editMessage(said, content: "nothing to see", by: .player)
        #expect(bot.postedMessages.last?.message.text.contains("> my secret is 42") == true, "\(bot.postedMessages.last?.message.text ?? "")")
        #expect(bot.postedMessages.last?.message.text.contains("> nothing to see") == true)
        await bot.deleteMessage(said)
        #expect(bot.postedMessages.last?.message.text.contains("Message deleted") == true)
        #expect(bot.postedMessages.last?.message.text.contains("nothing to see") == true, "\(bot.postedMessages.last?.message.text ?? "")")
        await bot.memberLeaves(.otherPlayer)
        #expect(bot.postedMessages.last?.message.text.contains("Member left") == true)
        await bot.fire("GUILD_BAN_ADD", payload: #"{"guild_id":"\#(CogTestHost.defaultGuild)","user":{"id":"5","username":"eve"}}"#)
        #expect(bot.postedMessages.last?.message.text.contains("Banned outside the bot") == true)
        await bot.stop()
    }
}
