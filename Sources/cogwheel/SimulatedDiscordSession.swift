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
    ///
    /// - Parameter owner: Who owns the simulated application, and so operates the bot.
    static func run(
        configuration: HostConfiguration, owner: Snowflake = SimulatorConfiguration.defaultOwnerID, logger: Logger,
        _ body: @Sendable (inout SimulatorTransport, DiscordBot, DiscordSimulator) async throws -> Void
    ) async throws {
        var simulator = SimulatorConfiguration(token: token)
        simulator.applicationOwner = .user(owner)
        // The operator's own server: the application's owner owns the guild too.
        simulator.guildOwnerID = owner
        try await DiscordSimulator.withRunning(simulator, logger: logger) { discord in
            let started = ContinuousClock.now
            try await DiscordBot.withRunning(
                configuration: BotConfiguration(token: BotToken(token), apiBase: discord.apiBase), host: configuration,
                logger: logger, started: ConsoleTranscript.printStartup
            ) { connection in
                print("  connected to the simulated Discord at \(discord.apiBase) as \(connection.user.username ?? "?")")
                print("  \(connection.commandSync?.summary ?? "")")
            } _: { bot in
                let status = bot.shardStatuses[0]
                print("  gateway READY after \(String(format: "%.1f", (ContinuousClock.now - started).milliseconds)) ms, session \(status.sessionID ?? "?")")
                var transport = SimulatorTransport(discord: discord)
                try await body(&transport, bot, discord)
            }
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
