/// Keeps one connection under Discord's send limit (120 per 60 s) without waiting itself: it
/// says whether a send may go now and, if not, for how long to hold it, so the connection's I/O
/// decides how to wait and tests need no clock.
///
/// The algorithm is a sliding window over the instants of the admitted sends. Heartbeats are
/// never held back; the other sends stop short of the limit by a reserve that covers the
/// heartbeats of one window plus one, so a burst of presence updates can never starve the
/// heartbeat and get the connection closed for missing it.
///
/// ```swift
/// var pacer = GatewaySendPacer(limit: 120, window: .seconds(60), heartbeatInterval: .milliseconds(41_250))
/// while let wait = pacer.admit(heartbeat: false, at: .now) { try await Task.sleep(for: wait) }
/// try await outbound.write(frame)
/// ```
struct GatewaySendPacer: Sendable {
    private let limit: Int
    /// Sends kept free for heartbeats: `min(limit / 4, beats per window + 1)`.
    private let reserve: Int
    private let window: Duration
    /// When each send still inside the window went out, oldest first.
    private var sent: [ContinuousClock.Instant] = []

    /// - Parameter heartbeatInterval: The heartbeat period from HELLO, which sets the reserve;
    ///   must be positive (the session machine refuses any other HELLO).
    init(limit: Int, window: Duration, heartbeatInterval: Duration) {
        precondition(heartbeatInterval > .zero, "a heartbeat interval must be positive")
        self.limit = limit
        self.window = window
        let beatsPerWindow = Int((window / heartbeatInterval).rounded(.up))
        self.reserve = min(limit / 4, beatsPerWindow + 1)
    }

    /// Counts the send and returns `nil` when it may go at `now`; otherwise counts nothing and
    /// returns how long until it may (ask again then). Heartbeats are always admitted.
    mutating func admit(heartbeat: Bool, at now: ContinuousClock.Instant) -> Duration? {
        let allowed = heartbeat ? Int.max : limit - reserve
        sent.removeAll { now - $0 >= window }
        guard sent.count >= allowed else {
            sent.append(now)
            return nil
        }
        return window - (now - sent[sent.count - allowed])
    }
}
