import CogHost
import DiscordModels

/// Where typed slash commands go: in process, or (later) through a Discord simulator.
protocol PlayerTransport {
    /// Sends `line` (e.g. "/roll 2d6") as `player` and returns the bot's answers.
    ///
    /// - Throws: ``CommandLineError`` when the line does not match the bot's commands.
    mutating func send(_ line: String, as player: InteractionFactory.Invoker) async throws -> [RecordedResponse]
}

/// Turns typed commands into interactions, as Discord would deliver them, and hands them
/// straight to the host's router. Serves the demo and the console.
struct InProcessTransport: PlayerTransport {
    static let guildID: UInt64 = 900_000_000_000_000_001
    static let channelID: UInt64 = 900_000_000_000_000_002

    private let host: CogHost
    private let source: InProcessEventSource
    private var factory = InteractionFactory(applicationID: 900_000_000_000_000_000)

    init(host: CogHost) {
        self.host = host
        self.source = InProcessEventSource(router: host.router)
    }

    mutating func send(_ line: String, as player: InteractionFactory.Invoker) async throws -> [RecordedResponse] {
        let payload = try factory.command(line: line, definitions: await host.commandDefinitions(), as: player,
                                          guildID: Self.guildID, channelID: Self.channelID)
        return await source.deliver(frame: payload)
    }
}
