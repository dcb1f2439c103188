import CogHost
import DiscordGateway
import DiscordModels
import DiscordREST
import Foundation
import Logging
import Metrics
import Synchronization

/// The running bot: connects a ``CogHost`` to Discord. Gateway events go to the host's router,
/// answers go out through the rate-limited REST client, and command definitions are synced
/// when they change.
///
/// ```swift
/// let (host, _) = try await CogHost.start(configuration: hostConfiguration, logger: logger)
/// let bot = DiscordBot(configuration: try .fromEnvironment(env), host: host, logger: logger)
/// try await bot.run()            // until bot.stop(), or a fatal gateway close code
/// await host.shutdown()
/// ```
///
/// A stopped bot saves its gateway sessions in the data directory, so the next process resumes
/// them instead of identifying again.
public final class DiscordBot: Sendable {
    /// What the bot learned while connecting.
    public struct Connection: Sendable {
        public var user: DiscordUser
        public var applicationID: Snowflake
        public var gateway: GatewayBotInfo
        public var commandSync: CommandSync.Report
        /// The bot's rate-limited REST client, for the bot's own posts (operator notices).
        public var rest: DiscordRESTClient
    }

    public let configuration: BotConfiguration
    public let host: CogHost
    private let logger: Logger
    private let shards = Mutex<GatewayShardManager?>(nil)
    private let stopRequested = Mutex(false)

    public init(configuration: BotConfiguration, host: CogHost, logger: Logger) {
        self.configuration = configuration
        self.host = host
        self.logger = logger
    }

    /// The shards' states, for health checks.
    public var shardStatuses: [GatewayShardStatus] {
        shards.withLock { $0?.shards.map(\.status) ?? [] }
    }

    /// Connects and serves interactions until ``stop()``.
    ///
    /// - Parameters:
    ///   - delay: Wait this long before contacting Discord at all (the crash-loop back-off);
    ///     ``stop()`` ends the wait.
    ///   - connected: Called once REST works and commands are synced, before the gateway connects.
    /// - Throws: ``RESTError`` when Discord refuses the token or cannot be reached;
    ///   ``GatewayError/fatalClose(_:)`` for a close code that forbids reconnecting.
    public func run(after delay: Duration = .zero, connected: @Sendable (Connection) async -> Void = { _ in }) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + delay
        while clock.now < deadline {
            if stopRequested.withLock({ $0 }) { return }
            try await clock.sleep(until: min(deadline, clock.now + .milliseconds(100)))
        }
        var restConfiguration = RESTConfiguration(token: configuration.token, apiBase: configuration.apiBase)
        restConfiguration.connectionsPerHost = 64
        var restLogger = logger
        restLogger[metadataKey: "subsystem"] = "rest"
        let rest = DiscordRESTClient(configuration: restConfiguration, logger: restLogger)
        do {
            try await serve(rest: rest, connected: connected)
        } catch {
            try? await rest.shutdown()
            throw error
        }
        try await rest.shutdown()
    }

    /// Stops taking events: the gateway closes with a resumable code, in-flight interactions
    /// finish, and ``run(after:connected:)`` returns.
    public func stop() async {
        stopRequested.withLock { $0 = true }
        await shards.withLock { $0 }?.stop()
    }

    private static let events = MetricHandles<String, Counter> {
        Counter(label: "cogwheel_gateway_events_total", dimensions: [("type", $0)])
    }

    private static func health(of shard: GatewayShard) -> ConnectionHealth.Shard {
        let status = shard.status
        return ConnectionHealth.Shard(
            id: shard.id, state: status.state.rawValue, latencyMilliseconds: status.latency?.milliseconds,
            lastEventAgeSeconds: status.lastEventAt.map { (ContinuousClock.now - $0).milliseconds / 1000 },
            resumable: shard.resumableSession != nil, reconnects: status.reconnects, resumes: status.resumes
        )
    }

    private func serve(rest: DiscordRESTClient, connected: @Sendable (Connection) async -> Void) async throws {
        let user = try await rest.currentUser()
        let applicationID: Snowflake
        if let configured = configuration.applicationID {
            applicationID = configured
        } else {
            applicationID = try await rest.currentApplicationID()
        }
        var gateway = try await rest.gatewayBot()
        if let override = configuration.gatewayURL { gateway.url = override }
        logger.info("logged in", metadata: ["user": "\(user.username ?? "?")", "application": "\(applicationID)"])

        let dataDirectory = host.configuration.dataDirectory
        let sync = CommandSync(rest: rest, applicationID: applicationID, guildID: configuration.developmentGuildID,
                               database: host.database, logger: logger)
        let report = try await sync.sync(await host.commandDefinitions())
        let host = self.host
        host.setDiscordActions(RESTCogDiscordActions(rest: rest))
        host.setCommandSynchronizer { force in try await sync.sync(await host.commandDefinitions(), force: force).summary }
        let logger = self.logger
        await host.supervisor.onCommandsChanged {
            do {
                try await sync.sync(await host.commandDefinitions())
            } catch {
                logger.error("could not sync commands after a change", metadata: ["error": "\(error)"])
            }
        }
        await connected(Connection(user: user, applicationID: applicationID, gateway: gateway, commandSync: report, rest: rest))

        let store = GatewaySessionStore(file: dataDirectory.appendingPathComponent("gateway-sessions.json"))
        let (events, continuation) = AsyncStream.makeStream(of: GatewayDispatch.self)
        let manager = GatewayShardManager(
            configuration: configuration.gatewayConfiguration, gateway: gateway, shardIDs: configuration.shardIDs,
            shardCount: configuration.shardCount, sessions: store.takeSessions(), logger: logger
        ) { continuation.yield($0) }
        shards.withLock { $0 = manager }
        host.setConnectionHealthProvider { ConnectionHealth(shards: manager.shards.map(Self.health(of:))) }
        if stopRequested.withLock({ $0 }) { return }
        let responder = RESTInteractionResponder(rest: rest, logger: logger)

        try await withThrowingTaskGroup(of: Void.self) { housekeeping in
            housekeeping.addTask { try await host.run() }
            defer { housekeeping.cancelAll() }
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask {
                    defer { continuation.finish() }
                    try await manager.run()
                }
                for await event in events {
                    Self.events[event.name].increment()
                    guard event.name == "INTERACTION_CREATE" else {
                        logger.debug("skipped an event no cog consumes", metadata: ["name": "\(event.name)"])
                        continue
                    }
                    group.addTask { await host.router.handle(interaction: Array(event.payload), responder: responder) }
                }
            }
            // Every interaction taken in has been answered.
            let sessions = manager.resumableSessions()
            if !sessions.isEmpty {
                try store.save(sessions)
                logger.notice("saved the gateway session for the next start", metadata: ["shards": "\(sessions.count)"])
            }
        }
    }
}
