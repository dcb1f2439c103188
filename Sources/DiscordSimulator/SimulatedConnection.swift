import DiscordModels
import Synchronization

/// One open gateway WebSocket. Everything it sends goes through its outbox, in order, so
/// sequence numbers and the zlib stream stay consistent however many tasks dispatch.
final class SimulatedConnection: Sendable {
    enum Outgoing: Sendable {
        case frame([UInt8])
        case close(UInt16)
        /// End the connection without a close code.
        case drop
    }

    let id: Int
    let outbox: AsyncStream<Outgoing>
    private let continuation: AsyncStream<Outgoing>.Continuation
    private let state = Mutex(State())

    private struct State {
        var sessionID: String?
        var acknowledgesHeartbeats = true
    }

    init(id: Int) {
        self.id = id
        (outbox, continuation) = AsyncStream.makeStream(of: Outgoing.self)
    }

    func send(_ outgoing: Outgoing) {
        continuation.yield(outgoing)
    }

    func finish() {
        continuation.finish()
    }

    var sessionID: String? {
        get { state.withLock { $0.sessionID } }
        set { state.withLock { $0.sessionID = newValue } }
    }

    var acknowledgesHeartbeats: Bool {
        get { state.withLock { $0.acknowledgesHeartbeats } }
        set { state.withLock { $0.acknowledgesHeartbeats = newValue } }
    }
}

/// A gateway session: survives its connections until it is invalidated, and keeps the
/// events it dispatched so a RESUME can replay what the client missed.
struct SimulatedSession {
    let id: String
    let shard: [Int]
    /// What IDENTIFY asked for: Discord sends only the events of these intents.
    var intents: GatewayIntents = GatewayIntents(rawValue: (1 << 26) - 1)
    var sequence: Int64 = 0
    var log: [(sequence: Int64, frame: [UInt8])] = []
    var connectionID: Int?
}
