import ArgumentParser
import BotApplication
import BotRuntime
import CogHost
import DiscordGateway
import DiscordModels
import DiscordREST
import Foundation
import Logging
import Operations

/// `cogwheel run`: the bot. Connects to Discord (or any Discord-compatible endpoint, such as
/// `cogwheel simulate`) with the settings from the environment and `.env`.
///
/// With `--events FILE` it connects to nothing and serves INTERACTION_CREATE frames, one JSON
/// document per line, writing each answer to standard output as one JSON line.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the bot on Discord (DISCORD_TOKEN, … from the environment or .env).",
        discussion: "Use --events FILE (or '-' for stdin) to serve gateway frames from a file instead of connecting."
    )

    @OptionGroup var host: HostOptions

    @OptionGroup var settings: SettingsSources

    @Option(help: "Serve INTERACTION_CREATE frames (one JSON per line) from this file, '-' for stdin, instead of connecting.")
    var events: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error (default: COGWHEEL_LOG_LEVEL, or info).")
    var logLevel: Logger.Level?

    @Flag(help: "Development: rebuild a bundled cog (cogs/NAME under --package-path) when its sources change, and reload it.")
    var watch = false

    @Option(help: "Development: watch a cog's own package too (its product named after the folder); build, load, then reload on change. Repeatable.")
    var watchPackage: [String] = []

    @Option(help: "The package whose cogs/ folder --watch watches.")
    var packagePath = "."

    func run() async throws {
        let environment = try settings.environmentOrExit()
        let configuration = try host.hostConfiguration(environment: environment)
        var logSettings: LogSettings
        do {
            logSettings = try LogSettings.fromEnvironment(environment)
        } catch {
            FileHandle.standardError.write(Data("cogwheel: \(error)\n".utf8))
            throw ExitCode(78)
        }
        if let logLevel { logSettings.level = logLevel }
        let logger = try LogLineHandler.logger(settings: logSettings).subsystem("host")
        if let events {
            try await serveFrames(from: events, configuration: configuration, logger: logger)
            return
        }
        let botSettings: BotSettings
        do {
            botSettings = try BotSettings.read(environment: environment, host: configuration, logFile: logSettings.file)
        } catch {
            FileHandle.standardError.write(Data("cogwheel: \(error)\n".utf8))
            throw ExitCode(78)
        }
        let application = BotApplication(settings: botSettings, logger: logger, watcher: { try cogWatcher(host: $0) },
                                         started: ConsoleTranscript.printStartup)
        do {
            try await application.run()
        } catch let error as StartupMigrationError {
            // EX_DATAERR: restarting will not help until the cog or the database is fixed.
            FileHandle.standardError.write(Data("cogwheel: \(error)\n".utf8))
            throw ExitCode(65)
        } catch {
            FileHandle.standardError.write(Data("cogwheel: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// The watcher for `--watch` and `--watch-package`, building debug builds for speed;
    /// `nil` when neither was given. Cogs from their own packages are built and loaded first.
    private func cogWatcher(host: CogHost) throws -> CogWatcher? {
        guard watch || !watchPackage.isEmpty else { return nil }
        let install = host.configuration.cogsDirectory
        var builders: [String: CogBuilder] = [:]
        var watched: [CogWatcher.Watched] = []
        if watch {
            let builder = CogBuilder(packageDirectory: URL(fileURLWithPath: packagePath), installDirectory: install, release: false)
            for cog in try builder.bundledCogs() {
                builders[cog] = builder
                watched.append(.init(cog: cog, sources: builder.packageDirectory.appendingPathComponent("cogs/\(cog)")))
            }
        }
        var ownPackages: [String] = []
        for path in watchPackage {
            let package = URL(fileURLWithPath: path).standardizedFileURL
            let cog = package.lastPathComponent
            builders[cog] = CogBuilder(packageDirectory: package, installDirectory: install, release: false)
            watched.append(.init(cog: cog, sources: package.appendingPathComponent("Sources")))
            ownPackages.append(cog)
        }
        let snapshot = builders
        return CogWatcher(supervisor: host.supervisor, watched: watched, initialBuilds: ownPackages,
                          build: { cog in
                              guard let builder = snapshot[cog] else { return }
                              _ = try await BlockingWork.run("cogwheel-watch-build") { try builder.build(cog) { print($0) } }
                          },
                          report: { print($0) })
    }

    private func serveFrames(from events: String, configuration: HostConfiguration, logger: Logger) async throws {
        let nextLine = try lineReader(events)
        let (cogHost, _) = try await CogHost.start(configuration: configuration, logger: logger)
        let source = InProcessEventSource(router: cogHost.router)
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await cogHost.run() }
            while let line = nextLine() {
                guard !line.isEmpty else { continue }
                print(Self.answerLine(await source.deliver(frame: Array(line.utf8))))
            }
            group.cancelAll()
        }
        await cogHost.shutdown()
    }

    /// Reads lines from standard input, or from the events file.
    private func lineReader(_ events: String) throws -> () -> String? {
        guard events != "-" else { return { readLine() } }
        guard let contents = try? String(contentsOfFile: events, encoding: .utf8) else {
            throw ValidationError("cannot read the events file \(events)")
        }
        var lines = contents.split(separator: "\n").makeIterator()
        return { lines.next().map(String.init) }
    }

    /// One output line: the callback bodies and edits sent for one interaction.
    static func answerLine(_ answers: [RecordedResponse]) -> String {
        let parts = answers.map { answer -> String in
            switch answer {
            case .initial(let callback): "{\"callback\":\(String(decoding: callback.body, as: UTF8.self))}"
            case .edit(let message): "{\"edit\":\(String(decoding: message, as: UTF8.self))}"
            }
        }
        return "{\"answers\":[\(parts.joined(separator: ","))]}"
    }
}
