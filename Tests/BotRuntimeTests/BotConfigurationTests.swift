import BotTestSupport
import BotRuntime
import CogwheelTestSupport
import DiscordModels
import DiscordSimulator
import Foundation
import Testing

@Suite("Bot configuration and secrets")
struct BotConfigurationTests {
    @Test("every missing or invalid setting is reported at once, by name")
    func allProblemsAtOnce() {
        let environment = ["DISCORD_API_BASE": "discord.com", "GUILD_ID": "abc", "DISCORD_INTENTS": "guilds,typo",
                           "DISCORD_SHARD_IDS": "0-3", "DISCORD_COMPRESSION": "maybe"]
        do {
            _ = try BotConfiguration.fromEnvironment(environment)
            Issue.record("an invalid configuration was accepted")
        } catch {
            let text = error.description
            for name in ["DISCORD_TOKEN", "DISCORD_API_BASE", "GUILD_ID", "DISCORD_INTENTS", "DISCORD_SHARD_IDS", "DISCORD_COMPRESSION"] {
                #expect(text.contains(name), "\(name) missing from: \(text)")
            }
            #expect(error.problems.count == 6)
        }
    }

    @Test("a valid environment gives the settings")
    func validEnvironment() throws {
        let configuration = try BotConfiguration.fromEnvironment([
            "DISCORD_TOKEN": "abc.def", "GUILD_ID": "42", "DISCORD_INTENTS": "guilds,guild_messages",
            "DISCORD_SHARD_COUNT": "4", "DISCORD_SHARD_IDS": "0,2-3", "DISCORD_GATEWAY_URL": "ws://127.0.0.1:1/gateway",
        ])
        #expect(configuration.developmentGuildID == 42)
        #expect(configuration.intents == [.guilds, .guildMessages])
        #expect(configuration.shardIDs == [0, 2, 3])
        #expect("\(configuration.token)" == "Bot ***")
    }

    @Test("the token never appears in any log line, at trace level, through a whole session and its errors")
    func tokenNeverLogged() async throws {
        let recorder = LogRecorder()
        let token = BotHarness.token
        try await BotHarness.withBot(cogs: [("testcog_probe_v1", "probe")], logger: recorder.logger()) { harness in
            _ = try await harness.discord.run("/probe", as: BotHarness.player)
            _ = try await harness.discord.run("/fail", as: BotHarness.player)
            harness.discord.inject(.reconnect)
            try await harness.waitUntil("the shard resumed") { harness.discord.statistics.resumes == 1 }
            harness.discord.inject(.rateLimitStorm(count: 2, scope: "user", retryAfter: 0.01))
            _ = try await harness.discord.run("/probe", as: BotHarness.player)
        }
        let lines = recorder.all
        #expect(lines.count > 10)
        #expect(!lines.contains { $0.contains(token) })
        #expect(lines.contains { $0.contains("rate limited") })
    }
}
