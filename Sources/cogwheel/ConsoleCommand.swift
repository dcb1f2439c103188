import ArgumentParser
import CogHost
import DiscordModels
import Foundation
import Logging

/// `cogwheel console`: type slash commands as a player and see the bot's answers.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Type slash commands as a player (e.g. /roll 2d6) and see the answers, without Discord."
    )

    @OptionGroup var host: HostOptions

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: Logger.Level = .warning

    func run() async throws {
        let configuration = try host.hostConfiguration()
        let logger = ConsoleLogging.logger(level: logLevel)
        let (cogHost, startup) = try await CogHost.start(configuration: configuration, logger: logger)
        ConsoleTranscript.printStartup(startup)
        var session = ConsoleSession(host: cogHost)
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await cogHost.run() }
            print("Type /help for the commands, `as NAME` to switch user, `quit` to leave.")
            while let line = readLine() {
                if line.trimmingCharacters(in: .whitespaces) == "quit" { break }
                await session.perform(line)
            }
            group.cancelAll()
        }
        await cogHost.shutdown()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
