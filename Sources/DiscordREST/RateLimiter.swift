/// Queues requests so Discord's limits are never exceeded: per-route buckets (learned from
/// `X-RateLimit-Bucket`, scoped by the top-level resource) and the global per-second limit.
///
/// Until a bucket's limits are known, one request probes it and the others wait for its
/// headers; afterwards requests go out while `remaining` allows and queue until the reset.
actor RateLimiter {
    struct BucketKey: Hashable, Sendable {
        var bucket: String
        var major: String
    }

    private struct Bucket {
        var remaining: Int?
        var limit: Int?
        var resetAt: ContinuousClock.Instant?
        /// Counts the windows this bucket went through, so a late answer from an earlier
        /// window cannot overwrite what the current window's answers said.
        var window = 0
        var inFlight = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// A reserved slot: which bucket, and which of its windows.
    struct Ticket: Sendable {
        var key: BucketKey
        var window: Int
    }

    private let globalLimit: Int
    private var hashes: [String: String] = [:]
    private var buckets: [BucketKey: Bucket] = [:]
    private var globalPausedUntil: ContinuousClock.Instant?
    /// When the last `globalLimit` requests left: a sliding window, so no second-long span
    /// (however Discord aligns its own) ever sees more than the limit.
    private var recentSends: [ContinuousClock.Instant] = []
    private var completions = 0

    init(globalLimit: Int) {
        self.globalLimit = globalLimit
    }

    /// Waits until `route` may be sent and reserves a slot; call ``complete(_:route:headers:)`` after.
    /// - Returns: The slot, and how long the request waited for it.
    func acquire(_ route: DiscordRoute) async throws -> (ticket: Ticket, waited: Duration) {
        let started = ContinuousClock.now
        while true {
            let now = ContinuousClock.now
            if !route.exemptFromGlobalLimit {
                if let pause = globalPausedUntil, pause > now {
                    try await Task.sleep(until: pause)
                    continue
                }
                recentSends.removeAll { now - $0 >= .seconds(1) }
                if recentSends.count >= globalLimit {
                    try await Task.sleep(until: recentSends[recentSends.count - globalLimit] + .seconds(1))
                    continue
                }
            }
            let key = key(for: route)
            var bucket = buckets[key, default: Bucket()]
            if let reset = bucket.resetAt, reset <= now {
                // Requests still in flight may reach Discord in the new window: keep room for them.
                bucket.remaining = bucket.limit.map { max(0, $0 - bucket.inFlight) }
                bucket.resetAt = nil
                bucket.window += 1
            }
            let known = bucket.remaining.map { $0 > 0 || bucket.resetAt != nil } ?? false
            if !known && bucket.inFlight > 0 {
                // Nothing known about the current window: wait for an answer to tell.
                buckets[key] = bucket
                await withCheckedContinuation { buckets[key, default: Bucket()].waiters.append($0) }
                continue
            }
            if known, bucket.remaining == 0, let reset = bucket.resetAt {
                buckets[key] = bucket
                try await Task.sleep(until: reset)
                continue
            }
            // Either a free slot, or the single request that probes an unknown window.
            if known, let remaining = bucket.remaining { bucket.remaining = remaining - 1 }
            bucket.inFlight += 1
            buckets[key] = bucket
            if !route.exemptFromGlobalLimit { recentSends.append(now) }
            return (Ticket(key: key, window: bucket.window), ContinuousClock.now - started)
        }
    }

    /// Records the answer's headers (or their absence after a failure) and wakes waiting requests.
    /// Headers from an earlier window of the bucket are ignored.
    func complete(_ ticket: Ticket, route: DiscordRoute, headers: RateLimitHeaders?) {
        let key = ticket.key
        buckets[key, default: Bucket()].inFlight -= 1
        var target = key
        if let hash = headers?.bucket {
            hashes[route.key] = hash
            target = BucketKey(bucket: hash, major: route.majorParameter)
        }
        let current = target != key || buckets[key]?.window == ticket.window
        if let headers, let remaining = headers.remaining, current {
            var bucket = buckets[target, default: Bucket()]
            bucket.limit = headers.limit ?? bucket.limit
            // Answers may arrive out of order: keep the most pessimistic count.
            bucket.remaining = min(remaining, bucket.remaining ?? remaining)
            if let resetAfter = headers.resetAfter { bucket.resetAt = .now + .milliseconds(Int(resetAfter * 1000)) }
            buckets[target] = bucket
        }
        wake(key)
        if target != key { wake(target) }
        completions += 1
        if completions % 1024 == 0 { evictIdleBuckets() }
    }

    /// After a 429: hold the bucket (or everything, for the global limit) for `retryAfter` seconds.
    func pause(_ ticket: Ticket, global: Bool, retryAfter: Double) {
        let key = ticket.key
        let until = ContinuousClock.now + .milliseconds(Int(retryAfter * 1000))
        if global {
            globalPausedUntil = max(globalPausedUntil ?? until, until)
        } else {
            buckets[key, default: Bucket()].remaining = 0
            buckets[key, default: Bucket()].resetAt = until
        }
    }

    private func key(for route: DiscordRoute) -> BucketKey {
        BucketKey(bucket: hashes[route.key] ?? route.key, major: route.majorParameter)
    }

    private func wake(_ key: BucketKey) {
        guard let waiters = buckets[key]?.waiters, !waiters.isEmpty else { return }
        buckets[key]?.waiters = []
        for waiter in waiters { waiter.resume() }
    }

    /// Interaction tokens make a new bucket per interaction: forget the ones that are done.
    private func evictIdleBuckets() {
        let now = ContinuousClock.now
        buckets = buckets.filter { _, bucket in
            bucket.inFlight > 0 || !bucket.waiters.isEmpty || (bucket.resetAt.map { $0 > now } ?? false)
        }
    }
}
