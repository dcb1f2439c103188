import DiscordModels
import Foundation

/// The protocol logic of one shard's gateway session — HELLO, identify or resume, heartbeats
/// and zombie detection, sequence tracking, op 7 and op 9, close codes, reconnect back-off and
/// stopping — as a value that consumes ``Event``s and returns ``Action``s. It does no I/O,
/// reads no clock (every event comes with its instant) and draws its jitter from a seeded
/// ``GatewayRandom``, so every rule is a table test without sockets or sleeps.
///
/// The I/O loop owns the socket, the heartbeat timer and the reconnect timer, feeds what
/// happens, and performs the actions in order:
///
/// ```swift
/// var machine = GatewaySessionMachine(shardID: 0, gatewayURL: info.url, session: saved, random: .system())
/// for await event in events {                       // socket, timers and stop(), in order
///     for action in machine.handle(event, at: .now) {
///         switch action {
///         case .connect(let url): socket.open(configuration.connectionURL(base: url))
///         case .sendIdentify: try await socket.send(identifyFrame())
///         case .sendResume(let id, let sequence): try await socket.send(resumeFrame(id, sequence))
///         case .sendHeartbeat(let sequence): try await socket.send(heartbeatFrame(sequence))
///         case .scheduleHeartbeat(let delay): heartbeatTimer.rearm(after: delay)  // feeds .heartbeatDue
///         case .deliver: await onDispatch(lastDispatch)
///         case .close(let code, let cause): logger.info("closing: \(cause)"); socket.close(code)
///         case .reconnect(let delay): reconnectTimer.arm(after: delay)        // feeds .reconnectDue
///         case .stopped: return
///         case .fail(let error): throw error
///         }
///     }
/// }
/// ```
///
/// What the loop can rely on, and must do in turn:
/// - **One socket at a time.** `.connect` comes only at `.start` and at `.reconnectDue`, and
///   `.reconnect` only once the previous socket is gone: after the loop fed its `.closed` or
///   `.transportFailed`. The loop feeds exactly one of the two per `.connect` (a connect
///   error is a `.transportFailed`); any further one is ignored.
/// - **`.close` only for an open socket.** A stop requested while a socket is still being
///   opened is held until `.connected`, then closes it (or ends at once if the connect fails).
/// - **How a connection ends is decided once.** When the machine closes the socket itself
///   (zombie, op 7, op 9, a refused HELLO, stopping) it decides then what comes next, and
///   emits it when the socket's end arrives — whatever close code the gateway sends on the
///   way out. Until then it ignores the socket's frames: a dispatch is neither delivered nor
///   counted, so a resume replays it. The one change allowed is a stop, which overrides a
///   pending reconnect (the close is already under way, so no second `.close`).
/// - **The heartbeat timer belongs to the connection.** The loop cancels it when the socket is
///   gone; a `.heartbeatDue` before this connection's HELLO is ignored as stale.
/// - **Stopped and failed are final.** After `.stopped` or `.fail`, every event yields nothing;
///   ``session`` still holds what to save for the next process.
struct GatewaySessionMachine: Sendable {
    /// Discord's timing and policy rules; tests shorten or pin them.
    struct Rules: Sendable {
        /// Reconnect delays after a failure grow from this…
        var reconnectBase: Duration = .seconds(1)
        /// …to at most this, with jitter (``ReconnectBackoff``).
        var reconnectMaximum: Duration = .seconds(60)
        /// After op 9 with `d: false`, wait a random time in this range (seconds) before
        /// identifying again, as Discord asks.
        var invalidSessionDelay: ClosedRange<Double> = 1...5
        /// The first heartbeat goes out after `interval × jitter`, so shards that connect
        /// together do not beat in step.
        var firstBeatJitter: ClosedRange<Double> = 0.05...1
        /// HELLO intervals accepted, in milliseconds (Discord sends 41 250). Outside them the
        /// shard would beat in a busy loop or never notice a dead connection; the message of
        /// ``GatewayError/invalidHeartbeatInterval(_:)`` quotes the default.
        var heartbeatIntervalBounds: ClosedRange<Int> = 100...600_000
        /// The code of every close the machine asks for: 1000 and 1001 would end the session.
        var resumableCloseCode: UInt16 = 4000
        /// After this many consecutive connections to a session's resume URL end without
        /// RESUMED, the session is dropped and the next connection identifies: a resume URL
        /// that is gone (say, saved by a previous process) must not trap the shard.
        var failedResumesBeforeIdentify = 2
    }

    /// What the I/O loop observed.
    enum Event: Sendable {
        /// The shard begins: the first connect.
        case start
        /// The delay of an earlier ``Action/reconnect(after:)`` passed.
        case reconnectDue
        /// The WebSocket is open.
        case connected
        /// Op 10.
        case hello(heartbeatIntervalMilliseconds: Int)
        /// Op 0; `ready` is present for READY.
        case dispatch(GatewayEventName, sequence: Int64, ready: ReadyFacts?)
        /// Op 1: the gateway wants a heartbeat now.
        case heartbeatRequested
        /// The timer of the last ``Action/scheduleHeartbeat(after:)`` fired.
        case heartbeatDue
        /// Op 11.
        case heartbeatAcknowledged
        /// Op 7.
        case reconnectRequested
        /// Op 9.
        case invalidSession(resumable: Bool)
        /// The socket ended with this close code (`nil`: none).
        case closed(code: UInt16?)
        /// The socket failed: a connect error, a read error, an unreadable message.
        case transportFailed(reason: String)
        /// The shard should stop (a planned restart or shutdown).
        case stopRequested
    }

    /// What READY says that the session needs.
    struct ReadyFacts: Sendable, Equatable {
        var sessionID: String
        /// `resume_gateway_url`; without one, resumes go to the gateway URL.
        var resumeURL: String?
    }

    /// What the I/O loop must do, in the order given.
    enum Action: Sendable, Equatable {
        /// Open a socket to this base URL: the session's resume URL when resuming, else the
        /// gateway URL. Feed `.connected` and then the socket's frames and end.
        case connect(url: String)
        case sendIdentify
        case sendResume(sessionID: String, sequence: Int64)
        /// Op 1 with the last sequence processed (`nil` before any).
        case sendHeartbeat(sequence: Int64?)
        /// (Re)arm this connection's single heartbeat timer; feed `.heartbeatDue` when it fires.
        case scheduleHeartbeat(after: Duration)
        /// Hand the dispatch just fed to the consumers: it carries a new sequence.
        case deliver
        /// Close the socket with this code, then feed its end as usual.
        case close(code: UInt16, cause: CloseCause)
        /// The connection is over: wait this long (zero: not at all), then feed `.reconnectDue`.
        case reconnect(after: Duration)
        /// The shard's run ends normally.
        case stopped
        /// The shard's run ends with this error; reconnecting cannot help.
        case fail(GatewayError)
    }

    /// Why the machine closes a socket itself, for logs.
    enum CloseCause: Sendable, Equatable, CustomStringConvertible {
        /// No heartbeat ACK since the previous beat: the connection is dead without knowing it.
        case zombie
        /// Op 7.
        case reconnectRequested
        /// Op 9.
        case invalidSession(resumable: Bool)
        /// HELLO asked for this many milliseconds between heartbeats, which is refused.
        case invalidHeartbeatInterval(Int)
        /// The shard is stopping; the session stays resumable.
        case stopping

        var description: String {
            switch self {
            case .zombie: "no heartbeat ACK since the last beat (zombie connection); reconnecting to resume"
            case .reconnectRequested: "the gateway asked for a reconnect (op 7); reconnecting to resume"
            case .invalidSession(resumable: true): "invalid session (op 9, resumable); reconnecting to resume"
            case .invalidSession(resumable: false): "invalid session (op 9); identifying a new session after a pause"
            case .invalidHeartbeatInterval(let milliseconds):
                GatewayError.invalidHeartbeatInterval(milliseconds).description
            case .stopping: "the shard is stopping; the session stays resumable"
            }
        }
    }

    /// What comes after a socket the machine closed itself.
    private enum Ending: Sendable, Equatable {
        case reconnect(after: Duration)
        case stop
    }

    /// One socket, from `.connect` until its end is fed.
    private struct Connection: Sendable {
        /// Opened to a session's resume URL: ending before RESUMED counts as a failed resume.
        let resuming: Bool
        var open = false
        /// Set by a valid HELLO; before it there is no heartbeat to send.
        var heartbeatInterval: Duration?
        /// When the beat still waiting for its ACK went out.
        var unacknowledgedBeatSentAt: ContinuousClock.Instant?
        /// READY or RESUMED arrived.
        var established = false
        /// Set when the machine closes (or, while connecting, will close) the socket itself.
        var ending: Ending?
    }

    private enum Phase: Sendable {
        case idle
        case connection(Connection)
        case waitingToReconnect
        case stopped
        case failed
    }

    let shardID: Int
    let gatewayURL: String
    let rules: Rules
    private(set) var status: GatewayShardStatus
    /// The session to resume, its sequence kept current; `nil` when the next connection
    /// identifies. `savedAt` is not maintained (the machine reads no clock): stamp it when saving.
    private(set) var session: ResumableSession?
    private var phase = Phase.idle
    private var backoff: ReconnectBackoff
    private var random: GatewayRandom
    /// Consecutive connections to the resume URL that ended without RESUMED.
    private var failedResumes = 0

    /// - Parameters:
    ///   - shardID: Recorded in the sessions READY starts, for saving them.
    ///   - gatewayURL: Where to identify, and to resume when READY names no resume URL.
    ///   - session: A session saved by an earlier process, resumed by the first connection.
    init(shardID: Int, gatewayURL: String, session: ResumableSession?, rules: Rules = Rules(), random: GatewayRandom) {
        self.shardID = shardID
        self.gatewayURL = gatewayURL
        self.session = session
        self.rules = rules
        self.random = random
        self.backoff = ReconnectBackoff(base: rules.reconnectBase, maximum: rules.reconnectMaximum)
        var status = GatewayShardStatus()
        status.sessionID = session?.sessionID
        status.sequence = session?.sequence ?? 0
        self.status = status
    }

    /// Consumes what happened at `now` and returns what to do about it.
    mutating func handle(_ event: Event, at now: ContinuousClock.Instant) -> [Action] {
        switch event {
        case .start:
            guard case .idle = phase else { return [] }
            return connect()
        case .reconnectDue:
            guard case .waitingToReconnect = phase else { return [] }
            return connect()
        case .connected:
            return connected()
        case .hello(let milliseconds):
            return onOpenConnection { $0.hello(milliseconds, on: &$1) }
        case .dispatch(let name, let sequence, let ready):
            return onOpenConnection { $0.dispatch(name, sequence: sequence, ready: ready, on: &$1, at: now) }
        case .heartbeatRequested:
            return onOpenConnection { $0.heartbeatRequested(on: &$1, at: now) }
        case .heartbeatDue:
            return onOpenConnection { $0.heartbeatDue(on: &$1, at: now) }
        case .heartbeatAcknowledged:
            return onOpenConnection { $0.heartbeatAcknowledged(on: &$1, at: now) }
        case .reconnectRequested:
            return onOpenConnection { $0.close(&$1, because: .reconnectRequested, then: .reconnect(after: .zero)) }
        case .invalidSession(resumable: true):
            return onOpenConnection {
                $0.close(&$1, because: .invalidSession(resumable: true), then: .reconnect(after: .zero))
            }
        case .invalidSession(resumable: false):
            return onOpenConnection { machine, connection in
                machine.forgetSession()
                let seconds = Double.random(in: machine.rules.invalidSessionDelay, using: &machine.random)
                return machine.close(
                    &connection, because: .invalidSession(resumable: false), then: .reconnect(after: .seconds(seconds))
                )
            }
        case .closed(let code):
            return socketEnded(closeCode: code)
        case .transportFailed:
            return socketEnded(closeCode: nil)
        case .stopRequested:
            return stop()
        }
    }

    /// Runs `body` for a frame or timer of the open socket, unless the machine already decided
    /// how that socket ends (then the event is ignored).
    private mutating func onOpenConnection(_ body: (inout Self, inout Connection) -> [Action]) -> [Action] {
        guard case .connection(var connection) = phase, connection.open, connection.ending == nil else { return [] }
        let actions = body(&self, &connection)
        phase = .connection(connection)
        return actions
    }

    private var lastSequence: Int64? { status.sequence > 0 ? status.sequence : nil }

    private mutating func connect() -> [Action] {
        phase = .connection(Connection(resuming: session != nil))
        status.state = .connecting
        return [.connect(url: session?.resumeURL ?? gatewayURL)]
    }

    private mutating func connected() -> [Action] {
        guard case .connection(var connection) = phase, !connection.open else { return [] }
        connection.open = true
        phase = .connection(connection)
        return connection.ending == .stop ? [closeAction(.stopping)] : []
    }

    /// Every connection that gets a valid HELLO identifies or resumes: a connection that only
    /// heartbeats would sit there until Discord times it out.
    private mutating func hello(_ milliseconds: Int, on connection: inout Connection) -> [Action] {
        guard connection.heartbeatInterval == nil else { return [] }
        guard rules.heartbeatIntervalBounds.contains(milliseconds) else {
            let delay = backoff.nextDelay(using: &random)
            return close(&connection, because: .invalidHeartbeatInterval(milliseconds), then: .reconnect(after: delay))
        }
        let interval = Duration.milliseconds(milliseconds)
        connection.heartbeatInterval = interval
        let firstBeat = interval * Double.random(in: rules.firstBeatJitter, using: &random)
        if let session {
            status.state = .resuming
            return [
                .scheduleHeartbeat(after: firstBeat),
                .sendResume(sessionID: session.sessionID, sequence: session.sequence),
            ]
        }
        status.state = .identifying
        status.identifies += 1
        return [.scheduleHeartbeat(after: firstBeat), .sendIdentify]
    }

    /// A sequence already processed is a replay: it is skipped, so no event reaches the
    /// consumers twice. READY and RESUMED establish the connection either way.
    private mutating func dispatch(
        _ name: GatewayEventName, sequence: Int64, ready: ReadyFacts?, on connection: inout Connection,
        at now: ContinuousClock.Instant
    ) -> [Action] {
        let isNew = sequence > status.sequence
        if isNew {
            status.sequence = sequence
            session?.sequence = sequence
            status.lastEventAt = now
        }
        if let ready {
            session = ResumableSession(shardID: shardID, sessionID: ready.sessionID, sequence: status.sequence,
                                       resumeURL: ready.resumeURL ?? gatewayURL, savedAt: .distantPast)
            status.sessionID = ready.sessionID
            establish(&connection)
        } else if name == .resumed {
            status.resumes += 1
            establish(&connection)
        }
        return isNew ? [.deliver] : []
    }

    private mutating func establish(_ connection: inout Connection) {
        connection.established = true
        status.state = .ready
        backoff.reset()
        failedResumes = 0
    }

    /// Op 1 counts as a beat: its ACK is awaited like the timer's.
    private mutating func heartbeatRequested(
        on connection: inout Connection, at now: ContinuousClock.Instant
    ) -> [Action] {
        if connection.unacknowledgedBeatSentAt == nil { connection.unacknowledgedBeatSentAt = now }
        return [.sendHeartbeat(sequence: lastSequence)]
    }

    /// A beat still unacknowledged when the next is due marks a zombie connection: it is closed
    /// and resumed at once instead of waiting for TCP to notice.
    private mutating func heartbeatDue(on connection: inout Connection, at now: ContinuousClock.Instant) -> [Action] {
        guard let interval = connection.heartbeatInterval else { return [] }
        guard connection.unacknowledgedBeatSentAt == nil else {
            return close(&connection, because: .zombie, then: .reconnect(after: .zero))
        }
        connection.unacknowledgedBeatSentAt = now
        return [.sendHeartbeat(sequence: lastSequence), .scheduleHeartbeat(after: interval)]
    }

    private mutating func heartbeatAcknowledged(
        on connection: inout Connection, at now: ContinuousClock.Instant
    ) -> [Action] {
        if let sentAt = connection.unacknowledgedBeatSentAt { status.latency = now - sentAt }
        connection.unacknowledgedBeatSentAt = nil
        return []
    }

    /// Decides how the connection ends and asks for the close; ``socketEnded(closeCode:)``
    /// carries the decision out once the socket is gone.
    private mutating func close(
        _ connection: inout Connection, because cause: CloseCause, then ending: Ending
    ) -> [Action] {
        connection.ending = ending
        if case .reconnect = ending { status.state = .reconnecting }
        return [closeAction(cause)]
    }

    private func closeAction(_ cause: CloseCause) -> Action {
        .close(code: rules.resumableCloseCode, cause: cause)
    }

    /// The socket is gone: carry out the ending decided earlier, or decide one from the close
    /// code (fatal, session-ending, or resumable) when the gateway or the network ended it.
    private mutating func socketEnded(closeCode: UInt16?) -> [Action] {
        guard case .connection(let connection) = phase else { return [] }
        let ending: Ending
        if let decided = connection.ending {
            ending = decided
        } else if let closeCode, GatewayCloseCode(closeCode).isFatal {
            let code = GatewayCloseCode(closeCode)
            phase = .failed
            status.state = .failed
            status.failure = code.description
            return [.fail(.fatalClose(code))]
        } else {
            if let closeCode, !GatewayCloseCode(closeCode).allowsResume { forgetSession() }
            ending = .reconnect(after: backoff.nextDelay(using: &random))
        }
        guard case .reconnect(let delay) = ending else { return finishStopping() }
        // Only a resume the gateway or the network ended counts against the session: one the
        // machine closed itself (a zombie, op 7, op 9) says nothing about the resume URL.
        if connection.resuming, !connection.established, connection.ending == nil, session != nil {
            failedResumes += 1
            if failedResumes >= rules.failedResumesBeforeIdentify { forgetSession() }
        }
        phase = .waitingToReconnect
        status.state = .reconnecting
        status.reconnects += 1
        return [.reconnect(after: delay)]
    }

    /// Closes with the resumable code (never 1000/1001, so a planned restart resumes), or ends
    /// at once when there is no socket.
    private mutating func stop() -> [Action] {
        switch phase {
        case .idle, .waitingToReconnect:
            return finishStopping()
        case .connection(var connection):
            let closeNow = connection.open && connection.ending == nil
            connection.ending = .stop
            phase = .connection(connection)
            return closeNow ? [closeAction(.stopping)] : []
        case .stopped, .failed:
            return []
        }
    }

    private mutating func finishStopping() -> [Action] {
        phase = .stopped
        status.state = .stopped
        return [.stopped]
    }

    private mutating func forgetSession() {
        session = nil
        status.sessionID = nil
        status.sequence = 0
        failedResumes = 0
    }
}

extension GatewaySessionMachine.Rules {
    /// The rules a configuration sets (back-off and the op 9 pause); the rest are Discord's.
    init(_ configuration: GatewayConfiguration) {
        self.init(
            reconnectBase: configuration.reconnectBase, reconnectMaximum: configuration.reconnectMaximum,
            invalidSessionDelay: configuration.invalidSessionDelay
        )
    }
}
