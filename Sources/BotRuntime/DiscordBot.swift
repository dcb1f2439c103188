import CogHost
import DiscordGateway
import DiscordModels
import DiscordREST
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// The running bot as a ``Service``: logs in over REST, publishes the command definitions,
/// connects the gateway's shards and hands every interaction to the host's router.
///
/// ```swift
/// let link = DiscordLink(configuration: configuration, logger: logger)
/// let (host, _) = try await CogHost.start(configuration: hostConfiguration, links: link.hostLinks(), logger: logger)
/// let bot = DiscordBot(link: link, host: host, logger: logger)
/// try await ServiceGroup(services: [RESTClientService(rest: link.rest), host, bot],
///                        gracefulShutdownSignals: [.sigterm], logger: logger).run()
/// ```
///
/// A graceful shutdown closes the gateway with a resumable code so no new events arrive, lets
/// the interactions in flight be answered, and saves the sessions in the data directory: the
/// next process resumes them instead of identifying again.
public final class DiscordBot: Service {
    /// What the bot learned while connecting.
    public struct Connection: Sendable {
        public var user: DiscordUser
        public var applicationID: Snowflake
        public var gateway: GatewayBotInfo
        /// The start-up command sync; `nil` when the host publishes commands nowhere.
        public var commandSync: CommandSync.Report?
    }

    public let link: DiscordLink
    public let host: CogHost
    private let connectDelay: Duration
    private let connected: @Sendable (Connection) async -> Void
    private let logger: Logger

    /// - Parameters:
    ///   - link: The REST client and the shards' board, made before the host (whose links
    ///     came from it).
    ///   - connectDelay: Wait this long before contacting Discord at all (the crash-loop
    ///     back-off); a graceful shutdown ends the wait.
    ///   - connected: Called once REST works and commands are synced, before the gateway connects.
    public init(
        link: DiscordLink, host: CogHost, connectDelay: Duration = .zero, logger: Logger,
        connected: @escaping @Sendable (Connection) async -> Void = { _ in }
    ) {
        self.link = link
        self.host = host
        self.connectDelay = connectDelay
        self.connected = connected
        self.logger = logger
    }

    public var configuration: BotConfiguration { link.configuration }

    /// The shards' states; empty before the gateway connects.
    public var shardStatuses: [GatewayShardStatus] { link.shardStatuses }

    /// Connects and serves interactions until a graceful shutdown.
    ///
    /// - Throws: ``RESTError`` when Discord refuses the token or cannot be reached;
    ///   ``GatewayError/fatalClose(_:)`` for a close code that forbids reconnecting.
    public func run() async throws {
        if connectDelay > .zero {
            await sleepUnlessShuttingDown(for: connectDelay)
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
        }
        guard let connection = try await logIn() else { return }
        await connected(connection)
        guard !Task.isShuttingDownGracefully else { return }
        do {
            try await serve(connection)
        } catch GatewayError.fatalClose(let code) where code.rawValue == 4014 {
            throw DisallowedIntentsError(requested: identifyIntents, byCog: host.cogIntents(), application: connection.applicationID)
        }
    }

    /// What IDENTIFY asks for: `DISCORD_INTENTS` (GUILDS by default) and every serving cog's.
    var identifyIntents: GatewayIntents {
        host.cogIntents().reduce(configuration.intents) { $0.union($1.intents) }
    }

    /// Logs in over REST and publishes the commands. While Discord is down (5xx, timeouts,
    /// unreachable, rate limited) it tries again with a growing wait instead of giving up, so
    /// an outage during a deploy does not end the process; a refusal (a bad token) is thrown
    /// at once. `nil` when a graceful shutdown came first.
    private func logIn() async throws -> Connection? {
        var wait = Duration.seconds(1)
        while true {
            do {
                let rest = link.rest
                let user = try await rest.currentUser()
                let applicationID = try await link.publisher.resolvedApplicationID()
                var gateway = try await rest.gatewayBot()
                if let override = configuration.gatewayURL { gateway.url = override }
                logger.info("logged in", metadata: ["user": "\(user.username ?? "?")", "application": "\(applicationID)"])
                let report = try await host.syncCommands()
                return Connection(user: user, applicationID: applicationID, gateway: gateway, commandSync: report)
            } catch let error as RESTError where error.isTransient {
                logger.warning("Discord is unavailable; logging in again later", metadata: [
                    "error": "\(error)", "after_s": "\(wait.components.seconds)",
                ])
                await sleepUnlessShuttingDown(for: wait)
                if Task.isShuttingDownGracefully || Task.isCancelled { return nil }
                wait = min(wait * 2, .seconds(60))
            }
        }
    }

    /// Interactions dropped because even the "busy" answers were at their bound.
    private static let dropped = Counter(label: "cogwheel_interactions_dropped_total")

    private static let events = MetricHandles<String, Counter> {
        Counter(label: "cogwheel_gateway_events_total", dimensions: [("type", $0)])
    }

    private func serve(_ connection: Connection) async throws {
        let store = GatewaySessionStore(file: host.configuration.dataDirectory.appendingPathComponent("gateway-sessions.json"))
        let (events, continuation) = AsyncStream.makeStream(of: GatewayDispatch.self)
        var gatewayConfiguration = configuration.gatewayConfiguration
        gatewayConfiguration.intents = identifyIntents
        host.sessionIntents.identified(with: gatewayConfiguration.intents)
        host.events.recognise(botUser: connection.user.id.rawValue)
        logger.info("identifying", metadata: ["intents": "\(gatewayConfiguration.intents.documentedNames.joined(separator: ","))"])
        let manager = GatewayShardManager(
            configuration: gatewayConfiguration, gateway: connection.gateway, shardIDs: configuration.shardIDs,
            shardCount: configuration.shardCount, sessions: store.takeSessions(), logger: logger
        ) { continuation.yield($0) }
        link.show(manager)
        let (host, logger) = (self.host, self.logger)
        let responder = RESTInteractionResponder(rest: link.rest, logger: logger)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                defer { continuation.finish() }
                try await manager.run()
            }
            group.addTask {
                await whenShuttingDownGracefully {
                    logger.notice("stopping: finishing in-flight interactions, saving the gateway session")
                    await manager.stop()
                }
            }
            for await event in events {
                Self.events[event.name.rawValue].increment()
                guard event.name == .interactionCreate else {
                    host.hear(event: event.name.rawValue, payload: event.payload, shard: event.shardID)
                    continue
                }
                let router = host.router
                let decision = router.admission.enter()
                switch decision {
                case .serve:
                    group.addTask {
                        defer { router.admission.leave(decision) }
                        await router.handle(interaction: Array(event.payload), responder: responder)
                    }
                case .answerBusy:
                    group.addTask {
                        defer { router.admission.leave(decision) }
                        await router.answerBusy(interaction: Array(event.payload), responder: responder)
                    }
                case .drop:
                    Self.dropped.increment()
                }
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

/// Discord closed the gateway with 4014: IDENTIFY asked for a privileged intent the
/// application is not allowed. Names the cogs behind each one and where to enable it.
public struct DisallowedIntentsError: Error, CustomStringConvertible {
    public let requested: GatewayIntents
    public let byCog: [(cog: String, intents: GatewayIntents)]
    public let application: Snowflake

    public var description: String {
        let privileged = requested.intersection(.privileged)
        let needs = privileged.documentedNames.map { name -> String in
            let intent = GatewayIntents.names[name.lowercased()] ?? []
            let cogs = byCog.filter { !$0.intents.isDisjoint(with: intent) }.map(\.cog)
            return "\(name) (needed by \(cogs.isEmpty ? "DISCORD_INTENTS" : "cog " + cogs.joined(separator: ", cog ")))"
        }
        return "Discord refused the privileged intents \(needs.joined(separator: "; ")) (close code 4014). Enable them "
            + "under Bot → Privileged Gateway Intents at https://discord.com/developers/applications/\(application)/bot, "
            + "or unload those cogs / remove them from DISCORD_INTENTS, then start again"
    }
}
