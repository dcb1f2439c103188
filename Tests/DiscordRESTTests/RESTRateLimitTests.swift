import BotTestSupport
import DiscordModels
import DiscordREST
import DiscordSimulator
import Foundation
import Synchronization
import Testing

@Suite("REST client: Discord's rate limits, retries and the invalid-request guard")
struct RESTRateLimitTests {
    static let channels: [Snowflake] = (0..<5).map { Snowflake(900_000_000_000_000_010 + UInt64($0)) }

    /// A simulator with five channels and fast (but real) per-channel windows.
    static var fiveChannels: SimulatorConfiguration {
        var configuration = SimulatorConfiguration(token: BotHarness.token)
        configuration.guilds = channels.enumerated().map { index, channel in
            SimulatorConfiguration.Guild(id: Snowflake(900_000_000_000_000_100 + UInt64(index) << 22), name: "Guild \(index)",
                                         channelID: channel)
        }
        configuration.messageLimit = .init(limit: 25, window: 0.5)
        configuration.globalLimit = 400
        return configuration
    }

    /// Sends `count` messages spread over the channels, all at once; returns the failures.
    static func burst(_ rest: DiscordRESTClient, count: Int, tag: String) async -> [String] {
        await withTaskGroup(of: String?.self) { group in
            for index in 0..<count {
                group.addTask {
                    let channel = channels[index % channels.count]
                    do {
                        try await rest.createMessage(channel: channel, json: Array("{\"content\":\"\(tag)-\(index)\"}".utf8))
                        return nil
                    } catch {
                        return "\(error)"
                    }
                }
            }
            var failures: [String] = []
            for await failure in group { if let failure { failures.append(failure) } }
            return failures
        }
    }

    static func contents(_ discord: DiscordSimulator) -> [String] {
        channels.flatMap { discord.messages(in: $0) }.compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any])?["content"] as? String
        }
    }

    @Test("500 messages to 5 channels at once: all delivered exactly once, never a 429")
    func burstWithoutRateLimitErrors() async throws {
        try await DiscordSimulator.withRunning(Self.fiveChannels,
                                               logger: BotHarness.quietLogger) { discord in
            let failures = try await BotHarness.withRESTClient(discord) { await Self.burst($0, count: 500, tag: "m") }
            #expect(failures.isEmpty)
            #expect(discord.statistics.rateLimited == 0)
            let contents = Self.contents(discord)
            #expect(contents.count == 500)
            #expect(Set(contents) == Set((0..<500).map { "m-\($0)" }))
            for channel in Self.channels { #expect(discord.messages(in: channel).count == 100) }
        }
    }

    @Test("after 429 storms of every scope, everything is still delivered exactly once", arguments: ["user", "shared", "global"])
    func stormRecovery(scope: String) async throws {
        try await DiscordSimulator.withRunning(Self.fiveChannels,
                                               logger: BotHarness.quietLogger) { discord in
            discord.inject(.rateLimitStorm(count: 40, scope: scope, retryAfter: 0.05))
            let (failures, invalid) = try await BotHarness.withRESTClient(discord) { rest in
                (await Self.burst(rest, count: 100, tag: scope), rest.recentInvalidResponses)
            }
            #expect(failures.isEmpty)
            #expect(discord.statistics.rateLimited >= 40)
            let contents = Self.contents(discord)
            #expect(contents.count == 100)
            #expect(Set(contents).count == 100)
            // Shared-scope 429s do not count against the invalid-request limit.
            #expect(scope == "shared" ? invalid == 0 : invalid >= 1)
        }
    }

    @Test("a wrong token: a clear error without the token, and the invalid-request guard stops sending")
    func invalidRequestGuard() async throws {
        try await DiscordSimulator.withRunning(SimulatorConfiguration(token: BotHarness.token), logger: BotHarness.quietLogger) { discord in
            let secret = "not-the-right-token-42"
            try await BotHarness.withRESTClient(discord, token: secret, configure: { $0.invalidRequestBudget = 3 }) { rest in
            for _ in 0..<3 {
                await #expect(throws: RESTError.self) { try await rest.currentUser() }
            }
            do throws(RESTError) {
                _ = try await rest.currentUser()
                Issue.record("the guard let a request through")
            } catch {
                guard case .invalidRequestBudgetExhausted = error else { Issue.record("unexpected \(error)"); return }
                #expect(!error.description.contains(secret))
            }
            }
            #expect(discord.requests.count == 3)
        }
    }

    @Test("a cog whose posts are refused spends its own share of the invalid-request budget; other cogs and interaction answers go on")
    func invalidRequestsPerCause() async throws {
        var configuration = SimulatorConfiguration(token: BotHarness.token)
        let allowed = configuration.guilds[0].channelID
        let forbidden: Snowflake = 900_000_000_000_000_055
        configuration.guilds.append(.init(id: 900_000_000_000_000_054, name: "Read only", channelID: forbidden))
        configuration.forbiddenChannels = [forbidden]
        try await DiscordSimulator.withRunning(configuration, logger: BotHarness.quietLogger) { discord in
            try await BotHarness.withRESTClient(discord, configure: { $0.invalidRequestBudget = 8 }) { rest in
                for _ in 0..<2 {
                    await #expect(throws: RESTError.self) { try await rest.createMessage(channel: forbidden, json: Array(#"{"content":"x"}"#.utf8), cause: "cog:spammy") }
                }
                do throws(RESTError) {
                    try await rest.createMessage(channel: allowed, json: Array(#"{"content":"x"}"#.utf8), cause: "cog:spammy")
                    Issue.record("the spent cog was let through")
                } catch {
                    guard case .invalidRequestBudgetExhausted(_, let budget, let cause) = error else { Issue.record("unexpected \(error)"); return }
                    #expect(budget == 2 && cause == "cog:spammy")
                    #expect(error.description.contains("refusing to send for cog:spammy"))
                }
                try await rest.createMessage(channel: allowed, json: Array(#"{"content":"fine"}"#.utf8), cause: "cog:other")

                // The host spends the rest of the bot's budget; answers to players are still sent.
                for _ in 0..<6 {
                    await #expect(throws: RESTError.self) { try await rest.createMessage(channel: forbidden, json: Array(#"{"content":"x"}"#.utf8)) }
                }
                await #expect(throws: RESTError.self) { try await rest.createMessage(channel: allowed, json: Array(#"{"content":"x"}"#.utf8), cause: "cog:other") }
                let before = discord.requests.count
                _ = try? await rest.editOriginalResponse(application: 1, token: "some-interaction-token", message: Array(#"{"content":"late"}"#.utf8))
                #expect(discord.requests.count == before + 1, "an edit of a deferred answer is never refused by the guard")
            }
        }
    }

    @Test("a slow answer times out with the route named, never the token")
    func timeout() async throws {
        try await DiscordSimulator.withRunning(SimulatorConfiguration(token: BotHarness.token), logger: BotHarness.quietLogger) { discord in
            discord.inject(.slowResponses(count: 1, seconds: 1))
            try await BotHarness.withRESTClient(discord, configure: { $0.requestTimeout = .milliseconds(200); $0.maxServerErrorRetries = 0 }) { rest in
            do throws(RESTError) {
                _ = try await rest.currentUser()
                Issue.record("no timeout")
            } catch {
                #expect(error.description.contains("GET /users/@me"))
                #expect(!error.description.contains(BotHarness.token))
            }
            }
            // The simulator is unharmed: the next request, with a normal timeout, succeeds.
            let user = try await BotHarness.withRESTClient(discord) { try await $0.currentUser() }
            #expect(user.id == discord.configuration.botUserID)
        }
    }

    @Test("a second initial response is refused by Discord with 40060")
    func duplicateInteractionResponse() async throws {
        try await BotHarness.withBot { harness in
            let id = try harness.discord.sendCommand("/ping", as: BotHarness.player)
            #expect(await harness.discord.waitForAnswers(to: id))
            let token = harness.discord.interactionToken(id) ?? ""
            try await BotHarness.withRESTClient(harness.discord) { rest in
            do throws(RESTError) {
                try await rest.createInteractionResponse(id: id, token: token, body: Array(#"{"type":4,"data":{"content":"again"}}"#.utf8))
                Issue.record("a second response was accepted")
            } catch {
                #expect(error.discordCode == 40060)
            }
            }
            #expect(harness.discord.answers(to: id).count == 1)
        }
    }

    @Test("server errors are retried for idempotent requests, never for a message that could be posted twice")
    func serverErrorRetries() async throws {
        try await DiscordSimulator.withRunning(Self.fiveChannels,
                                               logger: BotHarness.quietLogger) { discord in
            try await BotHarness.withRESTClient(discord) { rest in
                discord.inject(.serverErrors(count: 2))
                let user = try await rest.currentUser()
                #expect(user.id == discord.configuration.botUserID)

                discord.inject(.serverErrors(count: 1))
                do throws(RESTError) {
                    try await rest.createMessage(channel: Self.channels[0], json: Array(#"{"content":"once"}"#.utf8))
                    Issue.record("a POST that got 502 was reported as sent")
                } catch {
                    guard case .http(_, 502, _, _) = error else { Issue.record("unexpected \(error)"); return }
                }
                #expect(discord.messages(in: Self.channels[0]).isEmpty)
            }
        }
    }
}
