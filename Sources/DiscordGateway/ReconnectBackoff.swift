/// Exponential back-off with jitter between reconnect attempts.
struct ReconnectBackoff: Sendable {
    let base: Duration
    let maximum: Duration
    private(set) var attempts = 0

    init(base: Duration, maximum: Duration) {
        self.base = base
        self.maximum = maximum
    }

    /// The delay before the next attempt: base × 2^attempts, capped, scaled by a random 0.5–1.
    /// - Parameter random: The jitter's source; a seeded one makes the delays reproducible.
    mutating func nextDelay(using random: inout some RandomNumberGenerator) -> Duration {
        let exponential = base * (1 << min(attempts, 16))
        attempts += 1
        return min(exponential, maximum) * Double.random(in: 0.5...1, using: &random)
    }

    /// Call after a session was established: the next failure starts from `base` again.
    mutating func reset() {
        attempts = 0
    }
}
