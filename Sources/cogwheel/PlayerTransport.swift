import CogHost
import DiscordModels

/// Where typed slash commands go (the simulator, in the demo and the console).
protocol PlayerTransport {
    /// Sends `line` (e.g. "/roll 2d6") as `player` and returns the bot's answers.
    ///
    /// - Throws: ``CommandLineError`` when the line does not match the bot's commands.
    mutating func send(_ line: String, as player: InteractionFactory.Invoker) async throws -> [RecordedResponse]
}
