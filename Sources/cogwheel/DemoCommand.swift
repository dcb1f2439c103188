import ArgumentParser
import CogHost
import DiscordModels
import Foundation
import Logging

/// `cogwheel demo`: a scripted session showing commands answered and a cog reloaded.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Play a short scripted session: players run commands, a cog is rebuilt and reloaded."
    )

    @Option(help: "The package with the cogs/ folder.")
    var packagePath = "."

    @Option(help: "State directory for the demo (recreated on each run).")
    var dataDir = "data/demo"

    @Flag(help: "Use the cogs already installed in the demo's state directory instead of building them.")
    var skipBuild = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: Logger.Level = .error

    func run() async throws {
        let dataDirectory = URL(fileURLWithPath: dataDir)
        let cogsDirectory = dataDirectory.appendingPathComponent("cogs")
        let builder = CogBuilder(packageDirectory: URL(fileURLWithPath: packagePath), installDirectory: cogsDirectory,
                                 release: false)
        if !skipBuild {
            try? FileManager.default.removeItem(at: dataDirectory)
            print("▶ Building the bundled cogs (debug)…")
            for cog in try builder.bundledCogs() { _ = try builder.build(cog) { print("  \($0)") } }
        } else {
            for file in ["host-state.json", "flight-recorder.bin"] {
                try? FileManager.default.removeItem(at: dataDirectory.appendingPathComponent(file))
            }
        }
        let configuration = HostConfiguration(dataDirectory: dataDirectory, cogsDirectory: cogsDirectory,
                                              adminUserIDs: [DemoPlayers.adminID])
        let logger = ConsoleLogging.logger(level: logLevel)
        print("\n▶ Starting a simulated Discord on 127.0.0.1, the host, and the bot")
        try await SimulatedDiscordSession.run(configuration: configuration, owner: Snowflake(DemoPlayers.adminID),
                                              logger: logger) { transport, bot, discord in
            let session = bot.shardStatuses.first?.sessionID
            var script = DemoScript(transport: transport, world: WorldConsole(discord: discord), rebuild: {
                try builder.rebuildInRelease("dice") { print("  \($0)") }
            })
            try await script.play()
            let statistics = discord.statistics
            let sameSession = bot.shardStatuses.first?.sessionID == session
            print("\n── The gateway session survived the reloads ──")
            print("  session \(session ?? "?") \(sameSession ? "unchanged" : "CHANGED"); \(statistics.identifies) IDENTIFY, \(statistics.resumes) RESUME, \(statistics.connections) connection(s), \(statistics.commandOverwrites) command sync(s)")
        }
        print("\n▶ Done. Try it yourself: swift run cogwheel console --data-dir \(dataDir)")
    }
}

extension CogBuilder {
    /// Builds `cog` in release into the same install folder: a genuinely new build to reload.
    func rebuildInRelease(_ cog: String, output: (String) -> Void) throws {
        let releaseBuilder = CogBuilder(packageDirectory: packageDirectory, installDirectory: installDirectory, release: true)
        _ = try releaseBuilder.build(cog, output: output)
    }
}
