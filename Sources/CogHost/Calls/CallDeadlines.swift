/// When each open cog call is due an automatic deferral or a timeout, kept so that the one
/// timer of a ``CallRegistry`` sleeps until exactly the earliest of them.
///
/// Deadlines are kept in 10 ms buckets. A call that finishes leaves its buckets at once, so a
/// host answering thousands of commands a second keeps only the calls really in flight, and
/// the timer wakes when something is due rather than on a period. Pure: no clock, no tasks.
struct CallDeadlines: Sendable {
    /// What falls due for a call.
    enum Kind: Sendable, Equatable {
        case autoDefer
        case timeout
    }

    struct Due: Sendable, Equatable {
        var call: UInt64
        var kind: Kind
    }

    private struct Entry: Hashable {
        var call: UInt64
        var isTimeout: Bool
    }

    static let granularity: Duration = .milliseconds(10)

    private let origin: ContinuousClock.Instant
    private var buckets: [Int64: Set<Entry>] = [:]

    init(origin: ContinuousClock.Instant) {
        self.origin = origin
    }

    var isEmpty: Bool { buckets.isEmpty }

    /// Adds `call`'s deadline of `kind`. Returns its bucket, which ``remove(_:kind:bucket:)`` needs.
    mutating func add(_ call: UInt64, kind: Kind, at deadline: ContinuousClock.Instant) -> Int64 {
        let bucket = Self.bucket(of: deadline - origin)
        buckets[bucket, default: []].insert(Entry(call: call, isTimeout: kind == .timeout))
        return bucket
    }

    /// Forgets `call`'s deadline of `kind` (it finished, or the deferral came from the cog).
    mutating func remove(_ call: UInt64, kind: Kind, bucket: Int64) {
        guard var entries = buckets[bucket] else { return }
        entries.remove(Entry(call: call, isTimeout: kind == .timeout))
        buckets[bucket] = entries.isEmpty ? nil : entries
    }

    /// Takes every deadline due at `now`, oldest bucket first.
    mutating func takeDue(at now: ContinuousClock.Instant) -> [Due] {
        // Whole buckets elapsed: a bucket is due only once its instant has passed.
        let current = Int64(((now - origin) / Self.granularity).rounded(.down))
        let dueBuckets = buckets.keys.filter { $0 <= current }.sorted()
        var due: [Due] = []
        for bucket in dueBuckets {
            for entry in buckets.removeValue(forKey: bucket) ?? [] {
                due.append(Due(call: entry.call, kind: entry.isTimeout ? .timeout : .autoDefer))
            }
        }
        return due
    }

    /// When the earliest deadline kept falls due; `nil` when none is kept.
    var earliest: ContinuousClock.Instant? {
        buckets.keys.min().map { origin + Self.granularity * Int($0) }
    }

    /// The bucket a deadline falls in, rounded up so that nothing fires early.
    static func bucket(of offset: Duration) -> Int64 {
        Int64((offset / granularity).rounded(.up))
    }

    /// Whether a deadline in `bucket` is earlier than one due at `instant`.
    func bucket(_ bucket: Int64, isBefore instant: ContinuousClock.Instant) -> Bool {
        origin + Self.granularity * Int(bucket) < instant
    }
}
