import DiscordModels
import Foundation
import Logging
import Metrics
import Synchronization
import WSClient

/// One gateway shard: the I/O loop around a ``GatewaySessionMachine``. It owns the socket,
/// the heartbeat timer and the reconnect wait; the machine decides everything else.
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
    /// The machine's rules, read by the connection without the machine's lock.
    let rules: GatewaySessionMachine.Rules
    let identifyLimiter: IdentifyLimiter
    let logger: Logger
    let onDispatch: @Sendable (GatewayDispatch) async -> Void
    private let machine: Mutex<GatewaySessionMachine>
    /// The open socket, for ``stop()`` to close.
    private let socket = Mutex<WebSocketOutboundWriter?>(nil)
    /// Ends a reconnect wait early when the shard is stopped.
    private let wake = WakeSignal()

    public init(
        id: Int, count: Int, gatewayURL: String, configuration: GatewayConfiguration, identifyLimiter: IdentifyLimiter,
        resuming session: ResumableSession? = nil, logger: Logger,
        onDispatch: @escaping @Sendable (GatewayDispatch) async -> Void
    ) {
        self.id = id
        self.count = count
        self.configuration = configuration
        self.identifyLimiter = identifyLimiter
        var logger = logger
        logger[metadataKey: "shard"] = "\(id)"
        self.logger = logger
        self.onDispatch = onDispatch
        rules = GatewaySessionMachine.Rules(configuration)
        self.machine = Mutex(GatewaySessionMachine(shardID: id, gatewayURL: gatewayURL, session: session,
                                                   rules: rules, random: .system()))
    }

    /// A snapshot of what the shard is doing.
    public var status: GatewayShardStatus { machine.withLock { $0.status } }

    /// The session to persist for the next process, if there is one to resume.
    public var resumableSession: ResumableSession? {
        machine.withLock { machine in
            guard var session = machine.session else { return nil }
            session.sequence = machine.status.sequence
            session.savedAt = Date()
            return session
        }
    }

    /// Connects and keeps connected until ``stop()``.
    ///
    /// - Throws: ``GatewayError/fatalClose(_:)`` when Discord closes with a code after which
    ///   reconnecting cannot help (bad token, disallowed intents, …).
    public func run() async throws {
        var pending = feed(.start)
        while !pending.isEmpty {
            let action = pending.removeFirst()
            switch action {
            case .connect(let base):
                pending += await connect(to: base)
            case .reconnect(let delay):
                Counter(label: "cogwheel_gateway_reconnects_total", dimensions: [("shard", "\(id)")]).increment()
                if delay > .zero {
                    logger.info("reconnecting", metadata: ["after_ms": "\(delay.milliseconds)"])
                    await wake.wait(upTo: delay)
                }
                pending += feed(.reconnectDue)
            case .stopped:
                return
            case .fail(let error):
                logger.critical("stopping: \(error)")
                throw error
            case .sendIdentify, .sendResume, .sendHeartbeat, .scheduleHeartbeat, .deliver, .close:
                logger.error("a connection action came with no connection open", metadata: ["action": "\(action)"])
            }
        }
    }

    /// Closes the connection with a resumable code (never 1000/1001, which would end the
    /// session) and makes ``run()`` return; ``resumableSession`` then holds what to persist.
    public func stop() async {
        let actions = feed(.stopRequested)
        wake.signal()
        for case .close(let code, let cause) in actions {
            logger.info("closing the connection: \(cause)")
            try? await socket.withLock { $0 }?.close(.unknown(code), reason: "restarting")
        }
    }

    private func feed(_ event: GatewaySessionMachine.Event) -> [GatewaySessionMachine.Action] {
        machine.withLock { $0.handle(event, at: .now) }
    }

    /// Opens one socket and serves it until it ends; returns what the machine says next.
    private func connect(to base: String) async -> [GatewaySessionMachine.Action] {
        let url = configuration.connectionURL(base: base)
        guard url.hasPrefix("ws://") || url.hasPrefix("wss://") else {
            return feed(.transportFailed(reason: GatewayError.invalidURL(base).description))
        }
        var transportLogger = logger
        transportLogger.logLevel = .warning
        let clientConfiguration = WebSocketClientConfiguration(maxFrameSize: configuration.maxMessageSize, closeTimeout: .seconds(5))
        do {
            let closeFrame = try await WebSocketClient.connect(url: url, configuration: clientConfiguration, logger: transportLogger) {
                inbound, outbound, _ in
                let connection = GatewayConnection(shard: self, outbound: outbound)
                self.socket.withLock { $0 = outbound }
                defer { self.socket.withLock { $0 = nil } }
                try await connection.serve(inbound: inbound, opening: self.feed(.connected))
            }
            let code = closeFrame.map { UInt16(webSocketErrorCode: $0.closeCode) }
            if let code { logger.info("the connection closed", metadata: ["code": "\(GatewayCloseCode(code))"]) }
            return feed(.closed(code: code))
        } catch {
            logger.warning("gateway connection lost", metadata: ["reason": "\(error)"])
            return feed(.transportFailed(reason: "\(error)"))
        }
    }

    // MARK: For the connection

    /// Feeds what the open socket saw; the connection performs the actions.
    func handle(_ event: GatewaySessionMachine.Event) -> [GatewaySessionMachine.Action] {
        feed(event)
    }

    var lastSequence: Int64? {
        machine.withLock { $0.status.sequence > 0 ? $0.status.sequence : nil }
    }

    /// The heartbeat round trip just measured, for the latency gauge.
    var latency: Duration? { machine.withLock { $0.status.latency } }
}

/// A wait that ends early when signalled: the reconnect delay, which ``GatewayShard/stop()``
/// cuts short so a stopping bot does not wait out a back-off.
final class WakeSignal: Sendable {
    private struct State {
        var signalled = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Ends the current or the next ``wait(upTo:)``.
    func signal() {
        state.withLock { state in
            state.signalled = true
            defer { state.waiter = nil }
            return state.waiter
        }?.resume()
    }

    /// Waits for `duration`, or less when signalled.
    func wait(upTo duration: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: duration) }
            group.addTask { await self.waitForSignal() }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForSignal() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let already = state.withLock { state in
                    guard !state.signalled, !Task.isCancelled else { return true }
                    state.waiter = continuation
                    return false
                }
                if already { continuation.resume() }
            }
        } onCancel: {
            state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }?.resume()
        }
    }
}
