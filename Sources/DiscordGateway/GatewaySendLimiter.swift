import Synchronization

/// Keeps a connection under Discord's send limit (120 per 60 s). Heartbeats are never held
/// back; the other sends stop short of the limit by a reserve that covers the heartbeats of
/// one window, so a burst of presence updates can never starve the heartbeat.
final class GatewaySendLimiter: Sendable {
    private let limit: Int
    private let reserve: Int
    private let window: Duration
    private let sent = Mutex<[ContinuousClock.Instant]>([])

    /// - Parameter heartbeatInterval: The heartbeat period, which sets how many sends to reserve.
    init(limit: Int, window: Duration, heartbeatInterval: Duration) {
        self.limit = limit
        self.window = window
        let beatsPerWindow = Int((window / heartbeatInterval).rounded(.up))
        self.reserve = min(limit / 4, beatsPerWindow + 1)
    }

    /// Waits until a send is allowed, then counts it. Heartbeats never wait.
    func acquire(heartbeat: Bool) async throws {
        let allowed = heartbeat ? Int.max : limit - reserve
        while true {
            let wait: Duration? = sent.withLock { sent in
                let now = ContinuousClock.now
                sent.removeAll { now - $0 >= window }
                guard sent.count >= allowed else {
                    sent.append(now)
                    return nil
                }
                return window - (now - sent[sent.count - allowed])
            }
            guard let wait else { return }
            try await Task.sleep(for: wait)
        }
    }
}
