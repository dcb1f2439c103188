/// How many open cog calls fall due in each 10 ms bucket, so the one timer of a
/// ``CallRegistry`` sleeps until exactly the earliest due bucket.
///
/// A call counts in the bucket of its next deadline (the automatic deferral, else the
/// timeout) and leaves it when it finishes or moves on to its next deadline. Counting costs a
/// call two small dictionary updates and no allocation; which calls a due bucket holds is
/// found by looking at the calls still open then, which are few unless cogs are slow. A host
/// answering thousands of commands a second thus keeps only buckets with calls really in
/// flight, and the timer wakes when something is due rather than on a period. Pure: no clock,
/// no tasks.
struct CallDeadlines: Sendable {
    static let granularity: Duration = .milliseconds(10)

    private let origin: ContinuousClock.Instant
    private var open: [Int64: Int] = [:]

    init(origin: ContinuousClock.Instant) {
        self.origin = origin
    }

    var isEmpty: Bool { open.isEmpty }

    /// Counts a call due at `deadline`; returns its bucket, which ``remove(bucket:)`` needs.
    mutating func add(at deadline: ContinuousClock.Instant) -> Int64 {
        let bucket = Self.bucket(of: deadline - origin)
        open[bucket, default: 0] += 1
        return bucket
    }

    /// Counts a call out of `bucket` (it finished, or its deadline there has been dealt with).
    mutating func remove(bucket: Int64) {
        guard let count = open[bucket] else { return }
        open[bucket] = count > 1 ? count - 1 : nil
    }

    /// The buckets due at `now`, which still hold calls.
    func dueBuckets(at now: ContinuousClock.Instant) -> Set<Int64> {
        // Whole buckets elapsed: a bucket is due only once its instant has passed.
        let current = Int64(((now - origin) / Self.granularity).rounded(.down))
        return Set(open.keys.filter { $0 <= current })
    }

    /// When the earliest bucket holding a call falls due; `nil` when none does.
    var earliest: ContinuousClock.Instant? {
        open.keys.min().map(instant(of:))
    }

    /// The bucket a deadline falls in, rounded up so that nothing fires early.
    static func bucket(of offset: Duration) -> Int64 {
        Int64((offset / granularity).rounded(.up))
    }

    /// When `bucket` falls due.
    func instant(of bucket: Int64) -> ContinuousClock.Instant {
        origin + Self.granularity * Int(bucket)
    }
}
