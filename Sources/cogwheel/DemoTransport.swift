import CogHost
import DiscordModels

/// Where the demo sends its players' commands: in process, or through a Discord simulator.
protocol DemoTransport {
    /// Sends `line` as `player` and returns the bot's answers.
    mutating func send(_ line: String, as player: String) async throws -> [RecordedResponse]
}

/// Sends the demo's commands straight to the host's router.
struct InProcessDemoTransport: DemoTransport {
    private let host: CogHost
    private let source: InProcessEventSource
    private var factory = InteractionFactory(applicationID: 900_000_000_000_000_000)

    init(host: CogHost) {
        self.host = host
        self.source = InProcessEventSource(router: host.router)
    }

    mutating func send(_ line: String, as player: String) async throws -> [RecordedResponse] {
        let payload = try factory.command(
            line: line, definitions: await host.commandDefinitions(), as: DemoPlayers.invoker(player),
            guildID: ConsoleSession.guildID, channelID: ConsoleSession.channelID
        )
        return await source.deliver(frame: payload)
    }
}
