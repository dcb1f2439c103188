import DiscordModels

/// Paces IDENTIFY across the shards of one process: Discord allows `max_concurrency`
/// identifies per 5 seconds, one per bucket, where a shard's bucket is
/// `shard_id % max_concurrency`; and no more sessions than `session_start_limit.remaining`.
public actor IdentifyLimiter {
    private let maxConcurrency: Int
    private let interval: Duration
    private var remainingStarts: Int
    private var startsResetAt: ContinuousClock.Instant
    private var nextAllowed: [Int: ContinuousClock.Instant] = [:]

    /// - Parameter interval: Discord's identify window; shorter only in tests.
    public init(sessionStartLimit: GatewayBotInfo.SessionStartLimit, interval: Duration = .seconds(5)) {
        self.maxConcurrency = max(1, sessionStartLimit.maxConcurrency)
        self.interval = interval
        self.remainingStarts = sessionStartLimit.remaining
        self.startsResetAt = .now + .milliseconds(sessionStartLimit.resetAfter)
    }

    /// Waits for `shardID`'s turn to identify and counts the session start.
    public func waitForTurn(shardID: Int) async throws {
        let bucket = shardID % maxConcurrency
        if remainingStarts <= 0 {
            if ContinuousClock.now < startsResetAt {
                let resetAfter = startsResetAt - .now
                throw GatewayError.sessionStartLimitExhausted(resetAfter: Int(resetAfter.components.seconds * 1000))
            }
            remainingStarts = 1
        }
        remainingStarts -= 1
        let now = ContinuousClock.now
        let turn = max(now, nextAllowed[bucket] ?? now)
        nextAllowed[bucket] = turn + interval
        if turn > now { try await Task.sleep(until: turn) }
    }
}
