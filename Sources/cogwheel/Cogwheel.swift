import ArgumentParser
import CHostSupport
import Foundation

/// The `cogwheel` command: run the bot, manage cogs, and operate the host.
@main
struct Cogwheel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cogwheel",
        abstract: "A Discord bot host whose features are hot-reloadable cogs.",
        subcommands: [DemoCommand.self, RunCommand.self, ConsoleCommand.self, SimulateCommand.self, CheckConfigCommand.self, SettingsCommand.self, CogsCommand.self, DatabaseCommand.self, BackupCommand.self, RestoreCommand.self],
        defaultSubcommand: DemoCommand.self
    )

    /// Parses and runs the command with standard output line-buffered, so transcripts
    /// appear as they happen when piped to a file or another program.
    static func main() async {
        chs_line_buffer_stdout()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
