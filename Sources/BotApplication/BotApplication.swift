import BotRuntime
import CogHost
import DiscordModels
import DiscordREST
import Foundation
import Logging
import Operations
import ServiceLifecycle

/// The whole bot, composed from its ``BotSettings``: every long-running part is a `Service` in
/// one `ServiceGroup`, built with its dependencies, started in order and stopped in reverse
/// on SIGTERM or SIGINT.
///
/// ```swift
/// let application = BotApplication(settings: settings, logger: logger)
/// try await application.run()     // until SIGTERM; then drains and returns
/// ```
///
/// The services, in start order (a graceful shutdown stops them from the bottom up):
///
/// | service | on shutdown |
/// | --- | --- |
/// | ``OperationsServer`` (when an address is set) | stops last: `/ready` says "shutting down" until then |
/// | ``RESTClientService`` | closes the REST client once nothing sends through it |
/// | ``OperatorNotifier`` | delivers the notices still queued |
/// | ``CogHost`` | jobs finish, cogs drain and shut down, the activity counts are written |
/// | ``Watchdog`` | tells systemd `STOPPING=1` |
/// | ``CogWatcher`` (watch mode) | stops watching |
/// | ``DiscordBot`` | stops taking events, answers those in flight, saves the session |
/// | ``ShutdownAnnouncer`` | first: `/ready` says "shutting down", systemd hears `STOPPING=1` |
public struct BotApplication: Sendable {
    public let settings: BotSettings
    private let logger: Logger
    private let watcher: (@Sendable (CogHost) throws -> CogWatcher?)?
    private let started: @Sendable (CogHost.StartupReport) -> Void

    /// - Parameters:
    ///   - logger: The host's logger; each part logs under its subsystem (`gateway`, `ops`, …).
    ///   - watcher: Makes the watch-mode watcher once the host exists; `nil` for none.
    ///   - started: Told what the start-up did (migrations, autoloads, a previous crash).
    public init(
        settings: BotSettings, logger: Logger, watcher: (@Sendable (CogHost) throws -> CogWatcher?)? = nil,
        started: @escaping @Sendable (CogHost.StartupReport) -> Void = { _ in }
    ) {
        self.settings = settings
        self.logger = logger
        self.watcher = watcher
        self.started = started
    }

    /// Starts the host (migrations, autoloads), then serves until SIGTERM or SIGINT and drains.
    ///
    /// - Throws: ``StartupMigrationError`` when a migration failed (the host did not start);
    ///   the bot's error when Discord refused it (a bad token, a fatal close code), after the
    ///   rest was shut down gracefully.
    public func run() async throws {
        let metrics = MetricsExporter.shared
        let operationsLogger = logger.subsystem("ops")
        let gatewayLogger = logger.subsystem("gateway")
        let link = DiscordLink(configuration: settings.bot, logger: gatewayLogger)
        let notifier = OperatorNotifier(
            targets: settings.operations.notifications,
            channelPoster: { channel, body in _ = try await link.rest.createMessage(channel: Snowflake(channel), json: body) },
            logger: operationsLogger
        )
        let (host, startup) = try await CogHost.start(configuration: settings.host, links: link.hostLinks(alerts: notifier.alert),
                                                      logger: logger)
        started(startup)
        let connectDelay = startup.previousCrash.map { recordCrash($0, quarantined: startup.quarantined, notifier: notifier) } ?? .zero
        let bot = DiscordBot(link: link, host: host, connectDelay: connectDelay, logger: gatewayLogger) { [settings, logger] connection in
            logger.notice("connected", metadata: [
                "user": "\(connection.user.username ?? "?")", "application": "\(connection.applicationID)",
                "shards": "\(settings.bot.shardIDs?.count ?? settings.bot.shardCount ?? connection.gateway.shards)",
            ])
            let serving = await host.supervisor.servingCogs()
            notifier.notify("✅ \(connection.user.username ?? "Cogwheel") started (pid \(ProcessInfo.processInfo.processIdentifier)); "
                + "cogs serving: \(serving.isEmpty ? "none" : serving.joined(separator: ", "))")
        }

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let address = settings.operations.address {
            services.append(.init(service: OperationsServer(host: host, address: address, metrics: metrics,
                                                                    metricsToken: settings.operations.metricsToken, logger: operationsLogger) { port in
                operationsLogger.notice("operations endpoints listening", metadata: ["address": "\(address.host):\(port)"])
            }))
        }
        services.append(.init(service: RESTClientService(rest: link.rest)))
        services.append(.init(service: notifier))
        services.append(.init(service: host))
        services.append(.init(service: Watchdog(host: host, heartbeat: settings.operations.heartbeatFile.map(HeartbeatFile.init(file:)),
                                                interval: settings.operations.heartbeatInterval, logger: operationsLogger)))
        if let watcher = try watcher?(host) { services.append(.init(service: watcher)) }
        // The bot's end, whether a stop or a fatal error, shuts the rest down in order.
        services.append(.init(service: bot, successTerminationBehavior: .gracefullyShutdownGroup,
                              failureTerminationBehavior: .gracefullyShutdownGroup))
        services.append(.init(service: ShutdownAnnouncer(host: host)))

        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger.subsystem("lifecycle"))
        // Past the drain bound what is left is cancelled: cog calls then end as timed out
        // (the player is told), and the cogs are shut down and the shutdown recorded as clean.
        configuration.maximumGracefulShutdownDuration = settings.drainTimeout
        // A part that ignores cancellation too (a cog stuck in a loop) ends the process.
        configuration.maximumCancellationDuration = .seconds(10)
        try await ServiceGroup(configuration: configuration).run()
    }

    /// Writes the crash log, applies the crash-loop back-off and tells the operators.
    /// - Returns: How long to wait before connecting.
    private func recordCrash(_ crash: CrashReport, quarantined: [String], notifier: OperatorNotifier) -> Duration {
        do {
            let file = try CrashLog.write(crash, logFile: settings.logFile, into: settings.host.dataDirectory)
            logger.critical("the previous run crashed; crash report written", metadata: ["file": "\(file.path)"])
        } catch {
            logger.error("could not write the crash report", metadata: ["error": "\(error)"])
        }
        var notice = "🔁 restarted after a crash: \(crash.summary)"
        if !quarantined.isEmpty { notice += "; quarantined \(quarantined.joined(separator: ", ")) (/load to bring back)" }
        var delay = Duration.zero
        let crashLoop = settings.operations.crashLoop
        do {
            let decision = try crashLoop.recordCrash()
            if decision.isCrashLoop {
                delay = decision.delay
                logger.critical("crash loop: waiting before connecting", metadata: [
                    "crashes": "\(decision.recentCrashes)", "window_s": "\(crashLoop.window.components.seconds)",
                    "wait_s": "\(delay.components.seconds)",
                ])
                notice += "; crash loop (\(decision.recentCrashes) crashes in \(crashLoop.window.components.seconds / 60) min), "
                    + "waiting \(delay.components.seconds) s before connecting"
            }
        } catch {
            logger.error("could not record the crash history; connecting without back-off", metadata: ["error": "\(error)"])
        }
        notifier.notify(notice)
        return delay
    }
}
