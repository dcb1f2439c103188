import BotRuntime
import CogHost
import DiscordModels
import DiscordSimulator
import Foundation
import Logging

/// Runs the host as a real bot — gateway, REST, command sync — against a Discord simulator in
/// the same process: what the demo and the console show is what a server on Discord would see.
enum SimulatedDiscordSession {
    static let token = "cogwheel-demo-token"

    /// Starts the simulator, the host and the bot, runs `body` with a way to play commands,
    /// then stops everything.
    static func run(
        configuration: HostConfiguration, logger: Logger,
        _ body: @Sendable (inout SimulatorTransport, DiscordBot, DiscordSimulator) async throws -> Void
    ) async throws {
        try await DiscordSimulator.withRunning(SimulatorConfiguration(token: token), logger: logger) { discord in
            let (host, startup) = try await CogHost.start(configuration: configuration, logger: logger)
            ConsoleTranscript.printStartup(startup)
            let bot = DiscordBot(configuration: BotConfiguration(token: BotToken(token), apiBase: discord.apiBase),
                                 host: host, logger: logger)
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await bot.run { connection in
                            print("  connected to the simulated Discord at \(discord.apiBase) as \(connection.user.username ?? "?")")
                            print("  \(connection.commandSync.summary)")
                        }
                    }
                    let started = ContinuousClock.now
                    while bot.shardStatuses.first?.state != .ready {
                        try await Task.sleep(for: .milliseconds(2))
                        if ContinuousClock.now - started > .seconds(10) { throw SimulatorError.noAnswer("the gateway handshake") }
                    }
                    let status = bot.shardStatuses[0]
                    print("  gateway READY after \(String(format: "%.1f", (ContinuousClock.now - started).milliseconds)) ms, session \(status.sessionID ?? "?")")
                    var transport = SimulatorTransport(discord: discord)
                    try await body(&transport, bot, discord)
                    await bot.stop()
                    try await group.waitForAll()
                }
            } catch {
                await bot.stop()
                await host.shutdown()
                throw error
            }
            await host.shutdown()
        }
    }
}

/// Plays typed commands through the simulator: Discord delivers them to the bot over the
/// gateway and records the bot's REST answers.
struct SimulatorTransport: PlayerTransport {
    let discord: DiscordSimulator

    mutating func send(_ line: String, as player: InteractionFactory.Invoker) async throws -> [RecordedResponse] {
        try await discord.run(line, as: player).map { answer in
            switch answer {
            case .callback(let type, let data):
                .initial(InteractionCallback(type: InteractionCallbackType(rawValue: type) ?? .channelMessageWithSource, data: data))
            case .editOriginal(let message), .followUp(let message):
                .edit(message)
            }
        }
    }
}
