import CogHost
import DiscordGateway
import DiscordREST
import Logging
import Synchronization

/// The parts of the bot's connection to Discord that exist before the cog host does, so the
/// host is given them at start-up (``hostLinks``) instead of having them installed later:
/// the rate-limited REST client, the command publisher and the board the shards report on.
///
/// ```swift
/// let link = DiscordLink(configuration: botConfiguration, logger: logger)
/// let (host, _) = try await CogHost.start(configuration: hostConfiguration, links: link.hostLinks, logger: logger)
/// let bot = DiscordBot(link: link, host: host, logger: logger)
/// ```
public final class DiscordLink: Sendable {
    public let configuration: BotConfiguration
    /// The bot's REST client: interaction answers, the cogs' actions, operator notices.
    public let rest: DiscordRESTClient
    let publisher: RESTCommandPublisher
    private let shards = Mutex<GatewayShardManager?>(nil)

    public init(configuration: BotConfiguration, logger: Logger) {
        self.configuration = configuration
        var restConfiguration = RESTConfiguration(token: configuration.token, apiBase: configuration.apiBase)
        restConfiguration.connectionsPerHost = 64
        var restLogger = logger
        restLogger[metadataKey: "subsystem"] = "rest"
        rest = DiscordRESTClient(configuration: restConfiguration, logger: restLogger)
        publisher = RESTCommandPublisher(rest: rest, applicationID: configuration.applicationID,
                                         defaultGuild: configuration.developmentGuildID)
    }

    /// What the cog host reaches through this connection; `alerts` go to whoever is given.
    public func hostLinks(alerts: (@Sendable (HostAlert) -> Void)? = nil) -> CogHost.Links {
        CogHost.Links(discord: RESTCogDiscordActions(rest: rest, cause: nil), commands: publisher,
                      connectionHealth: { [self] in connectionHealth }, alerts: alerts,
                      application: { [rest] in try await rest.currentApplication() })
    }

    /// The shards' states; empty before the gateway connects.
    public var shardStatuses: [GatewayShardStatus] {
        shards.withLock { $0?.shards.map(\.status) ?? [] }
    }

    /// The connection's health for the host; `nil` before the gateway connects.
    public var connectionHealth: ConnectionHealth? {
        guard let shards = shards.withLock({ $0?.shards }) else { return nil }
        return ConnectionHealth(shards: shards.map(Self.health(of:)))
    }

    func show(_ manager: GatewayShardManager) {
        shards.withLock { $0 = manager }
    }

    private static func health(of shard: GatewayShard) -> ConnectionHealth.Shard {
        let status = shard.status
        return ConnectionHealth.Shard(
            id: shard.id, state: status.state.rawValue, latencyMilliseconds: status.latency?.milliseconds,
            lastEventAgeSeconds: status.lastEventAt.map { (ContinuousClock.now - $0).milliseconds / 1000 },
            resumable: shard.resumableSession != nil, reconnects: status.reconnects, resumes: status.resumes
        )
    }
}
