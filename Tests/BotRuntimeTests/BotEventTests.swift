import BotRuntime
import BotTestSupport
import CogHost
import DiscordModels
import DiscordSimulator
import Foundation
import Testing

/// Gateway events from the simulator's own state changes, through the real bot (WebSocket,
/// IDENTIFY with the cogs' intents, cache, delivery) to real cog builds.
@Suite("Gateway events through the bot")
struct BotEventTests {
    static let bob = InteractionFactory.Invoker(id: 800_000_000_000_000_077, username: "bob")

    /// The JSON the probe cog stored under `key`, decoded as text (a string's quotes removed), or `nil`.
    static func probeValue(_ key: String, in host: CogHost) throws -> String? {
        let rows = try host.database.query("SELECT value FROM host_cog_kv WHERE cog = 'probe' AND key = ?", [.text(key)])
        let bytes: [UInt8]
        switch rows.first?["value"] {
        case .blob(let stored): bytes = stored
        case .text(let stored): bytes = Array(stored.utf8)
        default: return nil
        }
        return (try? JSONDecoder().decode(String.self, from: Data(bytes))) ?? String(decoding: bytes, as: UTF8.self)
    }

    @Test("a member's message reaches the Swift cog without its content (no cog asked for MESSAGE_CONTENT); a 🏓 reaction gets the C cog's 🏓")
    func worldEventsReachTheCogs() async throws {
        // The 2.0.0 probe declares no MESSAGE_CONTENT, so the session does not have it.
        try await BotHarness.withBot(cogs: [("testcog_probe_v2", "probe"), ("ping", "ping")]) { harness in
            let discord = harness.discord
            let said = discord.say("hello there", as: Self.bob)
            try await harness.waitUntil("the probe heard the message") { (try? Self.probeValue("heard:\(said)", in: harness.host)) != nil }
            #expect(try Self.probeValue("content:\(said)", in: harness.host) == "",
                    "without the MESSAGE_CONTENT intent Discord empties the content, and so does the simulator")

            discord.react("🏓", to: said, as: Self.bob)
            try await harness.waitUntil("the C cog reacted") { discord.postedMessage(said)?.reactions == ["🏓"] }
            // The bot's own reaction comes back as an event; no cog asked for its own, so none answers it.
            try await Task.sleep(for: .milliseconds(200))
            #expect(discord.postedMessage(said)?.reactions == ["🏓"])
            #expect(discord.requests.filter { $0.route.hasSuffix("/reactions/{emoji}/@me") }.count == 1)
        }
    }

    @Test("a cog that declares MESSAGE_CONTENT gets it in IDENTIFY and reads the content")
    func contentWithTheIntent() async throws {
        try await BotHarness.withBot(cogs: [("testcog_probe_v1", "probe")]) { harness in
            let said = harness.discord.say("hello there", as: Self.bob)
            try await harness.waitUntil("the probe heard the message") {
                (try? Self.probeValue("content:\(said)", in: harness.host)) == "hello there"
            }
        }
    }

    @Test("with MESSAGE_CONTENT in DISCORD_INTENTS a cog that did not declare it is still shown none, unless the bot is mentioned")
    func contentHiddenFromCogsWithoutTheIntent() async throws {
        try await BotHarness.withBot(cogs: [("testcog_probe_v2", "probe")], bot: { $0.intents.formUnion([.messageContent]) }) { harness in
            let hidden = harness.discord.say("a secret", as: Self.bob)
            let mention = "<@\(harness.discord.configuration.botUserID)> hello"
            let mentioned = harness.discord.say(mention, as: Self.bob)
            try await harness.waitUntil("the probe heard both") {
                (try? Self.probeValue("content:\(mentioned)", in: harness.host)) != nil
            }
            #expect(try Self.probeValue("content:\(hidden)", in: harness.host) == "")
            #expect(try Self.probeValue("content:\(mentioned)", in: harness.host) == mention)
        }
    }

    @Test("a large guild's member list arrives by op 8 with GUILD_MEMBERS; without it the cache holds only who it saw")
    func largeGuildMembers() async throws {
        try await BotHarness.withBot(cogs: [("testcog_probe_v1", "probe")], simulator: { $0.membersPerGuild = 120 },
                                     bot: { $0.intents.formUnion([.guildMembers]) }) { harness in
            try await harness.waitUntil("the member list was cached") { harness.host.cache.size().members == 121 }
            let member = harness.host.cache.member(900_000_000_000_000_001 + 7 << 8, in: 900_000_000_000_000_001)
            #expect(member?.username == "member7")
        }
        try await BotHarness.withBot(cogs: [("testcog_probe_v1", "probe")], simulator: { $0.membersPerGuild = 120 }) { harness in
            try await harness.waitUntil("the guild was cached") { harness.host.cache.size().guilds == 1 }
            try await Task.sleep(for: .milliseconds(300))
            #expect(harness.host.cache.size().members == 1, "only the bot's own member, from GUILD_CREATE")
            harness.discord.memberJoins(Self.bob)
            harness.discord.say("hi", as: Self.bob)
            try await harness.waitUntil("the author was seen") { harness.host.cache.size().members == 2 }
        }
    }
}
