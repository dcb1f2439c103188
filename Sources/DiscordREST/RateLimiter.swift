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
        var inFlight = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let globalLimit: Int
    private var hashes: [String: String] = [:]
    private var buckets: [BucketKey: Bucket] = [:]
    private var globalPausedUntil: ContinuousClock.Instant?
    private var globalWindowStart = ContinuousClock.now
    private var globalCount = 0
    private var completions = 0

    init(globalLimit: Int) {
        self.globalLimit = globalLimit
    }

    /// Waits until `route` may be sent and reserves a slot; call ``complete(_:route:headers:)`` after.
    /// - Returns: How long the request waited, and the bucket it was counted against.
    func acquire(_ route: DiscordRoute) async throws -> (key: BucketKey, waited: Duration) {
        let started = ContinuousClock.now
        while true {
            let now = ContinuousClock.now
            if !route.exemptFromGlobalLimit {
                if let pause = globalPausedUntil, pause > now {
                    try await Task.sleep(until: pause)
                    continue
                }
                if now - globalWindowStart >= .seconds(1) {
                    globalWindowStart = now
                    globalCount = 0
                }
                if globalCount >= globalLimit {
                    try await Task.sleep(until: globalWindowStart + .seconds(1))
                    continue
                }
            }
            let key = key(for: route)
            var bucket = buckets[key, default: Bucket()]
            if let reset = bucket.resetAt, reset <= now {
                bucket.remaining = bucket.limit
                bucket.resetAt = nil
            }
            switch bucket.remaining {
            case nil where bucket.inFlight > 0, 0?:
                buckets[key] = bucket
                if bucket.remaining == 0, let reset = bucket.resetAt {
                    try await Task.sleep(until: reset)
                } else {
                    await withCheckedContinuation { buckets[key, default: Bucket()].waiters.append($0) }
                }
                continue
            default:
                if let remaining = bucket.remaining { bucket.remaining = remaining - 1 }
                bucket.inFlight += 1
                buckets[key] = bucket
                if !route.exemptFromGlobalLimit { globalCount += 1 }
                return (key, ContinuousClock.now - started)
            }
        }
    }

    /// Records the answer's headers (or their absence after a failure) and wakes waiting requests.
    func complete(_ key: BucketKey, route: DiscordRoute, headers: RateLimitHeaders?) {
        buckets[key, default: Bucket()].inFlight -= 1
        var target = key
        if let hash = headers?.bucket {
            hashes[route.key] = hash
            target = BucketKey(bucket: hash, major: route.majorParameter)
        }
        if let headers, let remaining = headers.remaining {
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
    func pause(_ key: BucketKey, global: Bool, retryAfter: Double) {
        let until = ContinuousClock.now + .milliseconds(Int(retryAfter * 1000))
        if global {
            globalPausedUntil = max(globalPausedUntil ?? until, until)
        } else {
            buckets[key, default: Bucket()].remaining = 0
            buckets[key, default: Bucket()].resetAt = until
        }
    }

    /// The buckets currently tracked (for tests and metrics).
    var trackedBuckets: Int { buckets.count }

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
