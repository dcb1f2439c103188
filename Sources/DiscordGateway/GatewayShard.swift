import DiscordModels
import Foundation
import Logging
import Metrics
import Synchronization
import WSClient

/// One gateway shard: connects, identifies or resumes, and reconnects until stopped.
///
/// ```swift
/// let shard = GatewayShard(id: 0, count: 1, gatewayURL: info.url, configuration: configuration,
///                          identifyLimiter: limiter, logger: logger) { dispatch in
///     print(dispatch.name)
/// }
/// try await shard.run()      // returns after stop(); throws on a fatal close code
/// ```
///
/// Resuming keeps the session: events missed while disconnected are replayed in order, and
/// an event already processed is never delivered twice.
public final class GatewayShard: Sendable {
    public let id: Int
    public let count: Int
    let configuration: GatewayConfiguration
    let gatewayURL: String
    let identifyLimiter: IdentifyLimiter
    let logger: Logger
    let onDispatch: @Sendable (GatewayDispatch) async -> Void
    private let state: Mutex<ShardState>

    struct ShardState {
        var status = GatewayShardStatus()
        var session: ResumableSession?
        var outbound: WebSocketOutboundWriter?
        var stopping = false
        var awaitingAck = false
        var lastBeatSentAt: ContinuousClock.Instant?
    }

    public init(
        id: Int, count: Int, gatewayURL: String, configuration: GatewayConfiguration, identifyLimiter: IdentifyLimiter,
        resuming session: ResumableSession? = nil, logger: Logger,
        onDispatch: @escaping @Sendable (GatewayDispatch) async -> Void
    ) {
        self.id = id
        self.count = count
        self.gatewayURL = gatewayURL
        self.configuration = configuration
        self.identifyLimiter = identifyLimiter
        var logger = logger
        logger[metadataKey: "shard"] = "\(id)"
        self.logger = logger
        self.onDispatch = onDispatch
        var initial = ShardState()
        initial.session = session
        initial.status.sessionID = session?.sessionID
        initial.status.sequence = session?.sequence ?? 0
        self.state = Mutex(initial)
    }

    /// A snapshot of what the shard is doing.
    public var status: GatewayShardStatus { state.withLock { $0.status } }

    /// The session to persist for the next process, if there is one to resume.
    public var resumableSession: ResumableSession? {
        state.withLock { state in
            guard var session = state.session else { return nil }
            session.sequence = state.status.sequence
            session.savedAt = Date()
            return session
        }
    }

    /// Connects and keeps connected until ``stop()``.
    ///
    /// - Throws: ``GatewayError/fatalClose(_:)`` when Discord closes with a code after which
    ///   reconnecting cannot help (bad token, disallowed intents, …).
    public func run() async throws {
        var backoff = ReconnectBackoff(base: configuration.reconnectBase, maximum: configuration.reconnectMaximum)
        var delay: Duration?
        var failedResumeConnections = 0
        while !isStopping && !Task.isCancelled {
            if let delay {
                logger.info("reconnecting", metadata: ["after_ms": "\(delay.milliseconds)"])
                try? await Task.sleep(for: delay)
                if isStopping { break }
            }
            let connection = GatewayConnection(shard: self)
            do {
                let closeFrame = try await connect(connection)
                connection.finish(closeCode: closeFrame.map { UInt16(webSocketErrorCode: $0.closeCode) })
            } catch {
                connection.finish(error: error)
            }
            if isStopping { break }
            if connection.established {
                backoff.reset()
                failedResumeConnections = 0
            }
            switch connection.end {
            case .stopped:
                break
            case .reconnect:
                delay = nil
            case .closed(let code):
                if code.isFatal {
                    logger.critical("stopping: \(GatewayError.fatalClose(code))")
                    updateStatus { $0.state = .failed; $0.failure = code.description }
                    throw GatewayError.fatalClose(code)
                }
                logger.warning("the gateway closed the connection", metadata: ["code": "\(code)"])
                if !code.allowsResume { forgetSession() }
                delay = backoff.nextDelay()
            case .failed(let reason):
                logger.warning("gateway connection lost", metadata: ["reason": "\(reason)"])
                delay = backoff.nextDelay()
                // A resume URL that keeps failing (say, a session saved by a previous process
                // for a gateway that is gone) must not trap the shard: identify afresh.
                if !connection.established, session != nil {
                    failedResumeConnections += 1
                    if failedResumeConnections >= 2 {
                        logger.notice("could not reach the session's resume URL; identifying a new session")
                        forgetSession()
                        failedResumeConnections = 0
                    }
                }
            }
            updateStatus { $0.reconnects += 1; $0.state = .reconnecting }
            Counter(label: "cogwheel_gateway_reconnects_total", dimensions: [("shard", "\(id)")]).increment()
        }
        updateStatus { $0.state = .stopped }
    }

    /// Closes the connection with a resumable code (never 1000/1001, which would end the
    /// session) and makes ``run()`` return; ``resumableSession`` then holds what to persist.
    public func stop() async {
        let outbound = state.withLock { state -> WebSocketOutboundWriter? in
            state.stopping = true
            return state.outbound
        }
        try? await outbound?.close(.unknown(GatewayConnection.resumableCloseCode), reason: "restarting")
    }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    private func connect(_ connection: GatewayConnection) async throws -> WebSocketCloseFrame? {
        let base = state.withLock { $0.session?.resumeURL } ?? gatewayURL
        let url = configuration.connectionURL(base: base)
        guard url.hasPrefix("ws://") || url.hasPrefix("wss://") else { throw GatewayError.invalidURL(base) }
        updateStatus { $0.state = .connecting }
        let clientConfiguration = WebSocketClientConfiguration(
            maxFrameSize: configuration.maxMessageSize, closeTimeout: .seconds(5)
        )
        var transportLogger = logger
        transportLogger.logLevel = .warning
        return try await WebSocketClient.connect(url: url, configuration: clientConfiguration, logger: transportLogger) {
            inbound, outbound, _ in
            try await connection.serve(inbound: inbound, outbound: outbound)
        }
    }

    // MARK: State shared with the connection

    func updateStatus(_ change: (inout GatewayShardStatus) -> Void) {
        state.withLock { change(&$0.status) }
    }

    func attach(_ outbound: WebSocketOutboundWriter?) -> Bool {
        state.withLock { state in
            state.outbound = outbound
            state.awaitingAck = false
            return !state.stopping
        }
    }

    var session: ResumableSession? { state.withLock { $0.session } }

    func startSession(id sessionID: String, resumeURL: String?) {
        state.withLock { state in
            state.session = ResumableSession(shardID: id, sessionID: sessionID, sequence: state.status.sequence,
                                             resumeURL: resumeURL ?? gatewayURL)
            state.status.sessionID = sessionID
            state.status.state = .ready
        }
    }

    func forgetSession() {
        state.withLock { state in
            state.session = nil
            state.status.sessionID = nil
            state.status.sequence = 0
        }
    }

    /// Records `sequence`; `false` when an event with this sequence was already processed.
    func advance(to sequence: Int64) -> Bool {
        state.withLock { state in
            state.status.lastEventAt = .now
            guard sequence > state.status.sequence else { return false }
            state.status.sequence = sequence
            return true
        }
    }

    var lastSequence: Int64? {
        state.withLock { $0.status.sequence > 0 ? $0.status.sequence : nil }
    }

    /// Marks a heartbeat as sent; `false` when the previous one was never acknowledged.
    func beat() -> Bool {
        state.withLock { state in
            guard !state.awaitingAck else { return false }
            state.awaitingAck = true
            state.lastBeatSentAt = .now
            return true
        }
    }

    func acknowledge() {
        let latency = state.withLock { state -> Duration? in
            state.awaitingAck = false
            if let sent = state.lastBeatSentAt { state.status.latency = .now - sent }
            return state.status.latency
        }
        if let latency {
            Gauge(label: "cogwheel_gateway_heartbeat_latency_seconds", dimensions: [("shard", "\(id)")])
                .record(latency.milliseconds / 1000)
        }
    }
}
