import ArgumentParser

/// The `cogwheel` command: run the bot, manage cogs, and operate the host.
@main
struct Cogwheel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cogwheel",
        abstract: "A Discord bot host whose features are hot-reloadable cogs.",
        subcommands: [DemoCommand.self, RunCommand.self, ConsoleCommand.self, SimulateCommand.self, CogsCommand.self],
        defaultSubcommand: DemoCommand.self
    )
}
