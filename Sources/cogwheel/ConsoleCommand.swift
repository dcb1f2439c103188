import ArgumentParser
import CogHost
import DiscordModels
import Foundation
import Logging

/// `cogwheel console`: type slash commands as a player and see the bot's answers.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Type slash commands as a player (e.g. /roll 2d6) through a simulated Discord and see the answers."
    )

    @OptionGroup var host: HostOptions

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: Logger.Level = .warning

    func run() async throws {
        let configuration = try host.hostConfiguration()
        let logger = ConsoleLogging.logger(level: logLevel)
        try await SimulatedDiscordSession.run(configuration: configuration, owner: Snowflake(ConsoleSession.owner.id),
                                              logger: logger) { transport, bot, _ in
            var session = ConsoleSession(host: bot.host, transport: transport)
            print("Type /help for the commands, `as NAME` to switch user, `quit` to leave.")
            while let line = readLine() {
                if line.trimmingCharacters(in: .whitespaces) == "quit" { break }
                await session.perform(line)
            }
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
