import ArgumentParser
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
        let botConfiguration: BotConfiguration
        let operations: OperationsSettings
        do {
            botConfiguration = try BotConfiguration.fromEnvironment(environment)
            operations = try OperationsSettings.fromEnvironment(environment, dataDirectory: configuration.dataDirectory)
        } catch {
            FileHandle.standardError.write(Data("cogwheel: \(error)\n".utf8))
            throw ExitCode(78)
        }
        let metrics = MetricsExporter.shared
        let cogHost: CogHost
        let startup: CogHost.StartupReport
        do {
            (cogHost, startup) = try await CogHost.start(configuration: configuration, logger: logger)
        } catch let error as StartupMigrationError {
            // EX_DATAERR: restarting will not help until the cog or the database is fixed.
            FileHandle.standardError.write(Data("cogwheel: \(error)\n".utf8))
            throw ExitCode(65)
        }
        ConsoleTranscript.printStartup(startup)
        let operationsLogger = logger.subsystem("ops")
        let notifier = OperatorNotifier(targets: operations.notifications, logger: operationsLogger)
        var connectDelay = Duration.zero
        if let crash = startup.previousCrash {
            connectDelay = recordCrash(crash, operations: operations, logFile: logSettings.file,
                                       dataDirectory: configuration.dataDirectory, quarantined: startup.quarantined,
                                       notifier: notifier, logger: logger)
        }
        let bot = DiscordBot(configuration: botConfiguration, host: cogHost, logger: logger.subsystem("gateway"))
        do {
            // The bot's run is the process's life; the other tasks serve it and end with it.
            try await withThrowingTaskGroup(of: Void.self) { group in
                if let address = operations.address {
                    group.addTask {
                        do {
                            try await OperationsServer(host: cogHost, address: address, metrics: metrics, logger: operationsLogger).run { port in
                                operationsLogger.notice("operations endpoints listening", metadata: ["address": "\(address.host):\(port)"])
                            }
                        } catch {
                            operationsLogger.critical("the operations endpoints are down", metadata: ["address": "\(address)", "error": "\(error)"])
                        }
                    }
                }
                group.addTask { await notifier.run(forwardingAlertsOf: cogHost) }
                if let watcher = try cogWatcher(host: cogHost) {
                    group.addTask { await watcher.run() }
                }
                group.addTask {
                    await Watchdog(host: cogHost, heartbeat: operations.heartbeatFile.map(HeartbeatFile.init(file:)),
                                   interval: operations.heartbeatInterval, logger: operationsLogger).run()
                }
                group.addTask {
                    let signal = await ShutdownSignal.next()
                    guard !Task.isCancelled else { return }
                    logger.notice("stopping on \(signal): finishing in-flight interactions, saving the gateway session")
                    await bot.stop()
                }
                defer { group.cancelAll() }
                try await bot.run(after: connectDelay) { connection in
                    logger.notice("connected", metadata: [
                        "user": "\(connection.user.username ?? "?")", "application": "\(connection.applicationID)",
                        "shards": "\(botConfiguration.shardIDs?.count ?? botConfiguration.shardCount ?? connection.gateway.shards)",
                    ])
                    if let channel = operations.notifications.channel {
                        notifier.attachChannel { body in _ = try await connection.rest.createMessage(channel: Snowflake(channel), json: body) }
                    }
                    let serving = await cogHost.supervisor.servingCogs()
                    notifier.notify("✅ \(connection.user.username ?? "Cogwheel") started (pid \(ProcessInfo.processInfo.processIdentifier)); "
                        + "cogs serving: \(serving.isEmpty ? "none" : serving.joined(separator: ", "))")
                }
            }
        } catch {
            await cogHost.shutdown()
            FileHandle.standardError.write(Data("cogwheel: \(error)\n".utf8))
            throw ExitCode.failure
        }
        await cogHost.shutdown()
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

    /// Writes the crash log, applies the crash-loop back-off and tells the operators.
    /// - Returns: How long to wait before connecting.
    private func recordCrash(
        _ crash: CrashReport, operations: OperationsSettings, logFile: URL?, dataDirectory: URL, quarantined: [String],
        notifier: OperatorNotifier, logger: Logger
    ) -> Duration {
        do {
            let file = try CrashLog.write(crash, logFile: logFile, into: dataDirectory)
            logger.critical("the previous run crashed; crash report written", metadata: ["file": "\(file.path)"])
        } catch {
            logger.error("could not write the crash report", metadata: ["error": "\(error)"])
        }
        var notice = "🔁 restarted after a crash: \(crash.summary)"
        if !quarantined.isEmpty { notice += "; quarantined \(quarantined.joined(separator: ", ")) (/load to bring back)" }
        var delay = Duration.zero
        do {
            let decision = try operations.crashLoop.recordCrash()
            if decision.isCrashLoop {
                delay = decision.delay
                logger.critical("crash loop: waiting before connecting", metadata: [
                    "crashes": "\(decision.recentCrashes)", "window_s": "\(operations.crashLoop.window.components.seconds)",
                    "wait_s": "\(delay.components.seconds)",
                ])
                notice += "; crash loop (\(decision.recentCrashes) crashes in \(operations.crashLoop.window.components.seconds / 60) min), "
                    + "waiting \(delay.components.seconds) s before connecting"
            }
        } catch {
            logger.error("could not record the crash history; connecting without back-off", metadata: ["error": "\(error)"])
        }
        notifier.notify(notice)
        return delay
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
