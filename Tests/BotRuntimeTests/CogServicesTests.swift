import BotTestSupport
import DiscordModels
import DiscordSimulator
import Foundation
import Testing

/// Cogs' Discord actions go through the bot's own REST client to (simulated) Discord.
@Suite("Cog services against the simulated Discord")
struct CogServicesTests {
    @Test("a poll is posted, closed and edited through the bot's REST client; the token stays with the host")
    func pollThroughREST() async throws {
        try await BotHarness.withBot(cogs: [("polls", "polls")]) { harness in
            let discord = harness.discord
            let created = try await discord.run("/poll create question:Lunch? options:Pizza,Sushi minutes:5", as: BotHarness.player)
            #expect(created.first?.content?.contains("Poll #1 posted") == true, "\(created)")
            let channel = discord.configuration.guilds[0].channelID
            let posted = try #require(discord.requests.first { $0.route == "/channels/{channel_id}/messages" && $0.method == "POST" })
            #expect(posted.path.contains("\(channel)"))
            let bodies = discord.messages(in: channel)
            let body = try #require(bodies.last.flatMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] })
            let buttons = ((body["components"] as? [[String: Any]])?.first?["components"] as? [[String: Any]]) ?? []
            #expect(buttons.compactMap { $0["custom_id"] as? String } == ["polls:vote:1:0", "polls:vote:1:1"])
            #expect((body["allowed_mentions"] as? [String: Any])?["parse"] as? [String] == ["users"])

            let closed = try await discord.run("/poll close id:1", as: BotHarness.player)
            #expect(closed.first?.content?.contains("closed") == true, "\(closed)")
            let edit = try #require(discord.requests.first { $0.method == "PATCH" && $0.route == "/channels/{channel_id}/messages/{message_id}" })
            let messageID = Snowflake(UInt64(edit.path.split(separator: "/").last ?? "") ?? 0)
            let message = try #require(discord.postedMessage(messageID))
            #expect(message.edits == 1)
            let edited = try #require(try JSONSerialization.jsonObject(with: Data(message.body)) as? [String: Any])
            #expect((edited["components"] as? [Any])?.isEmpty == true, "the closed poll has no buttons")
        }
    }
}
