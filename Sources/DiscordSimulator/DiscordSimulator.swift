import DiscordModels
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging

/// A local Discord on loopback: the gateway over WebSocket and the REST endpoints a bot uses,
/// with Discord's rate-limit headers, 429s, resume with replay, and faults on demand.
///
/// ```swift
/// try await DiscordSimulator.withRunning(SimulatorConfiguration(token: "secret")) { discord in
///     // point the bot at discord.apiBase and discord.gatewayURL, then:
///     let answers = try await discord.run("/roll 2d6", as: .init(id: 42, username: "ada"))
///     print(answers.first?.content ?? "")
///     discord.inject(.reconnect)
/// }
/// ```
public final class DiscordSimulator: Sendable {
    public let configuration: SimulatorConfiguration
    let state: SimulatorState
    private let gateway: SimulatedGateway
    private let rateLimits: RateLimitBox

    private init(state: SimulatorState, gateway: SimulatedGateway, rateLimits: RateLimitBox) {
        self.configuration = state.configuration
        self.state = state
        self.gateway = gateway
        self.rateLimits = rateLimits
    }

    /// Starts the simulator, runs `body` with it, and stops it when `body` returns or throws.
    public static func withRunning<T: Sendable>(
        _ configuration: SimulatorConfiguration, logger: Logger = Logger(label: "cogwheel.simulator"),
        _ body: @Sendable (DiscordSimulator) async throws -> T
    ) async throws -> T {
        let state = SimulatorState(configuration: configuration)
        let rateLimits = RateLimitBox()
        let gateway = SimulatedGateway(state: state, logger: logger)
        let rest = SimulatedREST(state: state, rateLimits: rateLimits)
        let router = Router(context: BasicWebSocketRequestContext.self)
        rest.register(on: router)
        for path in ["/gateway", "/resume-gw"] {
            router.ws(RouterPath(path)) { _, _ in .upgrade([:]) } onUpgrade: { inbound, outbound, context in
                let compress = context.request.uri.queryParameters.get("compress") == "zlib-stream"
                try await gateway.serve(inbound: inbound, outbound: outbound, compress: compress)
            }
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        // The HTTP server reports routine shutdown (cancelled child channels) as errors; show
        // its log only when the simulator's own log is at debug or below.
        var serverLogger = logger
        serverLogger.logLevel = logger.logLevel <= .debug ? logger.logLevel : .critical
        let application = Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: router, configuration: .init(maxFrameSize: 64 << 20)),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: serverLogger
        )
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                defer { portContinuation.finish() }
                try await application.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                _ = try await group.next()
                throw SimulatorError.couldNotStart
            }
            state.withStorage { storage in
                storage.port = port
                storage.factory = InteractionFactory(applicationID: configuration.applicationID.rawValue,
                                                     firstInteractionID: Snowflake(date: Date()).rawValue)
            }
            let simulator = DiscordSimulator(state: state, gateway: gateway, rateLimits: rateLimits)
            let result = try await body(simulator)
            group.cancelAll()
            return result
        }
    }

    // MARK: Where the bot connects

    public var port: Int { state.port }
    /// The REST base, like `https://discord.com/api/v10`.
    public var apiBase: String { "http://\(configuration.host):\(port)/api/v10" }
    /// The gateway URL, as `GET /gateway/bot` returns it.
    public var gatewayURL: String { "ws://\(configuration.host):\(port)/gateway" }

    // MARK: Events and interactions

    /// Dispatches an event to the sessions that see `guild` (all sessions when `nil`).
    public func dispatch(_ event: String, data: [UInt8], guild: Snowflake? = nil) {
        state.broadcast(event: event, data: data, guild: guild)
    }

    /// Sends a slash command typed as a player would (`/roll 2d6`), parsed against the
    /// commands the bot registered, as INTERACTION_CREATE.
    ///
    /// - Returns: The interaction's id, to read the bot's answers with.
    /// - Throws: ``CommandLineError`` when the line does not match a registered command.
    @discardableResult
    public func sendCommand(
        _ line: String, as invoker: InteractionFactory.Invoker, guild: SimulatorConfiguration.Guild? = nil
    ) throws -> Snowflake {
        let guild = guild ?? configuration.guilds[0]
        let token = "aW50ZXJhY3Rpb246" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let (id, payload) = try state.withStorage { storage throws -> (Snowflake, [UInt8]) in
            let definitions = storage.globalCommands + (storage.guildCommands[guild.id] ?? [])
            let id = Snowflake(storage.factory.upcomingID)
            let payload = try storage.factory.command(line: line, definitions: definitions, as: invoker,
                                                      guildID: guild.id.rawValue, channelID: guild.channelID.rawValue,
                                                      token: token)
            storage.interactions[id] = SimulatorState.Interaction(token: token, applicationID: configuration.applicationID)
            storage.interactionsByToken[token] = id
            return (id, payload)
        }
        let recipients = state.broadcast(event: "INTERACTION_CREATE", data: payload, guild: guild.id)
        state.withStorage { $0.interactions[id]?.delivered = recipients > 0 }
        return id
    }

    /// Whether interaction `id` reached a session of the bot (connected, or kept to be
    /// resumed); one sent while the bot had no session at all went to nobody, as on Discord.
    public func wasDelivered(_ id: Snowflake) -> Bool {
        state.withStorage { $0.interactions[id]?.delivered ?? false }
    }

    /// Sends `line` and waits for the bot's answer: the first response and, when the bot
    /// deferred, the edit that follows it.
    public func run(
        _ line: String, as invoker: InteractionFactory.Invoker, guild: SimulatorConfiguration.Guild? = nil,
        timeout: Duration = .seconds(10)
    ) async throws -> [RecordedAnswer] {
        let id = try sendCommand(line, as: invoker, guild: guild)
        guard await state.waitForAnswers(id, count: 1, timeout: timeout) else { throw SimulatorError.noAnswer(line) }
        if case .callback(let type, _) = answers(to: id).first, type == 5 {
            guard await state.waitForAnswers(id, count: 2, timeout: timeout) else { throw SimulatorError.noAnswer(line) }
        }
        return answers(to: id)
    }

    /// Waits until interaction `id` has `count` answers; `false` on timeout.
    public func waitForAnswers(to id: Snowflake, count: Int = 1, timeout: Duration = .seconds(10)) async -> Bool {
        await state.waitForAnswers(id, count: count, timeout: timeout)
    }

    /// The token of interaction `id`, as the bot received it.
    public func interactionToken(_ id: Snowflake) -> String? {
        state.withStorage { $0.interactions[id]?.token }
    }

    /// What the bot answered to interaction `id` so far.
    public func answers(to id: Snowflake) -> [RecordedAnswer] {
        state.withStorage { $0.interactions[id]?.answers ?? [] }
    }

    // MARK: Faults

    /// Injects a gateway fault into every open connection.
    public func inject(_ fault: GatewayFault) {
        gateway.inject(fault)
    }

    /// Injects a REST fault for the next requests.
    public func inject(_ fault: RESTFault) {
        switch fault {
        case .rateLimitStorm(let count, let scope, let retryAfter):
            rateLimits.addStorm(count: count, scope: scope, retryAfter: retryAfter)
        case .slowResponses, .serverErrors:
            state.withStorage { $0.restFaults.append(fault) }
        }
    }

    // MARK: What the simulator saw

    public var statistics: SimulatorStatistics { state.withStorage { $0.statistics } }

    /// The commands the bot registered, globally or in `guild`.
    public func registeredCommands(guild: Snowflake? = nil) -> [ApplicationCommand] {
        state.withStorage { storage in guild.map { storage.guildCommands[$0] ?? [] } ?? storage.globalCommands }
    }

    /// The bodies of the messages the bot posted to `channel`, in order.
    public func messages(in channel: Snowflake) -> [[UInt8]] {
        state.withStorage { $0.channelMessages[channel] ?? [] }
    }

    /// A message in a channel (the bot's or one a person said), as last edited; `nil` once deleted.
    public func postedMessage(_ id: Snowflake) -> SimulatedMessage? {
        state.withStorage { $0.postedMessages[id] }
    }

    /// Every REST request received, in order.
    public var requests: [RecordedRequest] { state.withStorage { $0.requests } }

    /// How many REST requests the simulator received so far.
    public var requestCount: Int { state.withStorage { $0.requests.count } }

    /// The requests after the first `count`, without copying the rest.
    public func requests(after count: Int) -> [RecordedRequest] {
        state.withStorage { Array($0.requests.dropFirst(count)) }
    }

    /// Waits until more than `count` REST requests arrived (for latency measurements); `false` on timeout.
    public func waitForRequests(beyond count: Int, timeout: Duration = .seconds(10)) async -> Bool {
        await state.waitForRequests(beyond: count, timeout: timeout)
    }
}

/// Why the simulator failed.
public enum SimulatorError: Error, Sendable, CustomStringConvertible {
    case couldNotStart
    case noAnswer(String)

    public var description: String {
        switch self {
        case .couldNotStart: "the simulator could not listen on its address"
        case .noAnswer(let line): "the bot did not answer '\(line)' in time"
        }
    }
}
