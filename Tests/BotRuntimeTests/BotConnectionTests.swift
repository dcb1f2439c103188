import BotTestSupport
import BotRuntime
import CogHost
import CogwheelTestSupport
import DiscordREST
import DiscordGateway
import DiscordModels
import DiscordSimulator
import Foundation
import Testing

@Suite("A bot against the simulated Discord")
struct BotConnectionTests {
    @Test("connects, syncs its commands once and answers a slash command")
    func handshakeAndAnswer() async throws {
        try await BotHarness.withBot { harness in
            let discord = harness.discord
            #expect(discord.statistics.identifies == 1)
            let names = Set(discord.registeredCommands().map(\.name))
            #expect(names.isSuperset(of: ["ping", "roll", "coin", "reload", "cogs", "sync"]))
            #expect(discord.statistics.commandOverwrites == 1)

            let answers = try await discord.run("/ping", as: BotHarness.player)
            #expect(answers.count == 1)
            guard case .callback(let type, _) = answers.first else { Issue.record("no callback"); return }
            #expect(type == 4)
            #expect(answers.first?.content?.contains("Pong") == true)
        }
    }

    @Test("Discord answering 502 at start-up is waited out: the bot logs in once it recovers instead of exiting")
    func loginWaitsOutAnOutage() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-outage-\(UUID().uuidString)")
        try BuiltCogs.install("ping", as: "ping", in: directory.appendingPathComponent("cogs"))
        defer { try? FileManager.default.removeItem(at: directory) }
        try await DiscordSimulator.withRunning(SimulatorConfiguration(token: BotHarness.token), logger: BotHarness.quietLogger) { discord in
            // More than the REST client's own retries of one request.
            discord.inject(.serverErrors(count: 6))
            let answers = try await DiscordBot.withRunning(
                configuration: BotConfiguration(token: BotToken(BotHarness.token), apiBase: discord.apiBase),
                host: HostConfiguration(dataDirectory: directory), logger: BotHarness.quietLogger, readyTimeout: .seconds(20)
            ) { _ in try await discord.run("/ping", as: BotHarness.player) }
            #expect(answers.first?.content?.contains("Pong") == true)
        }
    }

    @Test("a refused token ends the bot at once with the reason, not a wait for READY")
    func refusedTokenEndsTheBot() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-badtoken-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await DiscordSimulator.withRunning(SimulatorConfiguration(token: BotHarness.token), logger: BotHarness.quietLogger) { discord in
            let started = ContinuousClock.now
            do {
                try await DiscordBot.withRunning(
                    configuration: BotConfiguration(token: BotToken("not.the.token-000"), apiBase: discord.apiBase),
                    host: HostConfiguration(dataDirectory: directory), logger: BotHarness.quietLogger, readyTimeout: .seconds(20)
                ) { _ in }
                Issue.record("the bot ran with a refused token")
            } catch let error as RESTError {
                #expect("\(error)".contains("401"), "\(error)")
                #expect(!"\(error)".contains("not.the.token"))
            }
            #expect(ContinuousClock.now - started < .seconds(10), "ended by the refusal, not by the READY timeout")
        }
    }
}
