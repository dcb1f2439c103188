import BotTestSupport
import DiscordGateway
import DiscordModels
import DiscordSimulator
import Foundation
import Testing

/// The simulator's world emits Discord's events from its own changes, to the sessions whose
/// intents cover them, shaped as Discord's docs say; a real gateway shard receives them.
@Suite("The simulator's world events, by intent")
struct SimulatedWorldTests {
    static let bob = InteractionFactory.Invoker(id: 800_000_000_000_000_077, username: "bob")

    @Test("GUILDS and GUILD_MESSAGES only: messages arrive without content, roles and channels arrive, members and bans do not")
    func eventsFollowTheIntents() async throws {
        try await GatewayHarness.withShard(gateway: { $0.intents = [.guilds, .guildMessages] }) { harness in
            let discord = harness.discord
            discord.memberJoins(Self.bob)
            let said = discord.say("hello <@\(discord.configuration.botUserID)>", as: Self.bob)
            let plain = discord.say("just chatting", as: Self.bob)
            discord.react("👍", to: plain, as: Self.bob)
            discord.ban(Self.bob)
            let role = discord.createRole("Mods", permissions: 8192)
            let thread = discord.createThread("plans")
            discord.deleteChannel(thread)
            discord.editMessage(plain, content: "edited")
            discord.deleteMessage(plain)
            try await BotHarness.waitUntil("the last event arrived") { !harness.events.payloads(of: "MESSAGE_DELETE").isEmpty }

            #expect(harness.events.payloads(of: "GUILD_MEMBER_ADD").isEmpty, "GUILD_MEMBERS was not asked for")
            #expect(harness.events.payloads(of: "GUILD_BAN_ADD").isEmpty && harness.events.payloads(of: "GUILD_MEMBER_REMOVE").isEmpty)
            #expect(harness.events.payloads(of: "MESSAGE_REACTION_ADD").isEmpty, "GUILD_MESSAGE_REACTIONS was not asked for")
            let created = try harness.events.payloads(of: "MESSAGE_CREATE").map(Self.object)
            #expect(created.count == 2)
            #expect(created.first { $0["id"] as? String == said.description }?["content"] as? String != "", "a mention keeps its content")
            #expect(created.first { $0["id"] as? String == plain.description }?["content"] as? String == "")
            #expect(created.allSatisfy { $0["guild_id"] as? String == discord.configuration.guilds[0].id.description })
            #expect(try Self.object(harness.events.payloads(of: "GUILD_ROLE_CREATE").first ?? "") ["role"].flatMap { $0 as? [String: Any] }?["id"] as? String
                    == role.description)
            #expect(try harness.events.payloads(of: "THREAD_CREATE").map(Self.object).first?["parent_id"] as? String
                    == discord.configuration.guilds[0].channelID.description)
            #expect(harness.events.payloads(of: "THREAD_DELETE").count == 1)
            #expect(try harness.events.payloads(of: "MESSAGE_UPDATE").map(Self.object).first?["edited_timestamp"] is String)
        }
    }

    @Test("every intent: members, reactions (none for a repeat), bans with the member's removal, voice, and op 8's chunk")
    func everything() async throws {
        try await GatewayHarness.withShard(simulator: { $0.membersPerGuild = 3 },
                                           gateway: { $0.intents = GatewayIntents(rawValue: (1 << 26) - 1) }) { harness in
            let discord = harness.discord
            discord.memberJoins(Self.bob)
            let said = discord.say("hi", as: Self.bob)
            discord.react("👍", to: said, as: Self.bob)
            discord.react("👍", to: said, as: Self.bob)
            discord.unreact("👍", to: said, as: Self.bob)
            discord.voice(Self.bob, joins: 5)
            discord.ban(Self.bob)
            discord.unban(Self.bob)
            try await BotHarness.waitUntil("the unban arrived") { !harness.events.payloads(of: "GUILD_BAN_REMOVE").isEmpty }
            #expect(harness.events.payloads(of: "GUILD_MEMBER_ADD").count == 1)
            #expect(harness.events.payloads(of: "MESSAGE_REACTION_ADD").count == 1, "a repeated reaction sends nothing")
            #expect(harness.events.payloads(of: "MESSAGE_REACTION_REMOVE").count == 1)
            #expect(try harness.events.payloads(of: "VOICE_STATE_UPDATE").map(Self.object).first?["channel_id"] as? String == "5")
            #expect(harness.events.payloads(of: "GUILD_BAN_ADD").count == 1)
            #expect(harness.events.payloads(of: "GUILD_MEMBER_REMOVE").count == 1, "a ban removes the member")
            // With GUILD_PRESENCES and a small guild, GUILD_CREATE carries every member…
            let guild = try Self.object(harness.events.payloads(of: "GUILD_CREATE").first ?? "")
            #expect((guild["members"] as? [Any])?.count == 4, "the 3 members and the bot")
            // …so the shard asks for no member list, and no chunk comes.
            #expect(harness.events.payloads(of: "GUILD_MEMBERS_CHUNK").isEmpty)
        }
    }

    @Test("without GUILD_PRESENCES the GUILD_CREATE has only the bot, and the shard's op 8 brings the rest in a chunk")
    func memberListByRequest() async throws {
        try await GatewayHarness.withShard(simulator: { $0.membersPerGuild = 3 },
                                           gateway: { $0.intents = [.guilds, .guildMembers] }) { harness in
            try await BotHarness.waitUntil("the chunk arrived") { !harness.events.payloads(of: "GUILD_MEMBERS_CHUNK").isEmpty }
            let guild = try Self.object(harness.events.payloads(of: "GUILD_CREATE").first ?? "")
            #expect((guild["members"] as? [Any])?.count == 1, "only the bot")
            let chunk = try Self.object(harness.events.payloads(of: "GUILD_MEMBERS_CHUNK")[0])
            #expect((chunk["members"] as? [Any])?.count == 3)
            #expect(chunk["chunk_index"] as? Int == 0 && chunk["chunk_count"] as? Int == 1)
            #expect(chunk["guild_id"] as? String == harness.discord.configuration.guilds[0].id.description)
        }
    }

    static func object(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }
}
