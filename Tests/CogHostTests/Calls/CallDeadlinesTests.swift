@testable import CogHost
import Testing

/// The deadline buckets of cog calls in flight, without a clock or a timer.
@Suite("Call deadlines: buckets due exactly when they should be")
struct CallDeadlinesTests {
    let origin = ContinuousClock.now

    @Test("a bucket is due at its instant, never earlier")
    func dueAtItsInstant() {
        var deadlines = CallDeadlines(origin: origin)
        let bucket = deadlines.add(at: origin + .milliseconds(2500))
        #expect(deadlines.dueBuckets(at: origin + .milliseconds(2495)).isEmpty)
        #expect(deadlines.dueBuckets(at: origin + .milliseconds(2500)) == [bucket])
        #expect(deadlines.earliest == origin + .milliseconds(2500))
    }

    @Test("calls that finish leave their bucket, so nothing stays behind to wake the timer")
    func finishedCallsLeave() {
        var deadlines = CallDeadlines(origin: origin)
        for call in 1...1000 {
            let bucket = deadlines.add(at: origin + .microseconds(Int64(call) * 10) + .milliseconds(2500))
            deadlines.remove(bucket: bucket)
        }
        #expect(deadlines.isEmpty)
        #expect(deadlines.earliest == nil)
        #expect(deadlines.dueBuckets(at: origin + .seconds(100)).isEmpty)
    }

    @Test("a bucket holds every call due in it until the last one leaves")
    func bucketsCount() {
        var deadlines = CallDeadlines(origin: origin)
        let first = deadlines.add(at: origin + .milliseconds(101))
        let second = deadlines.add(at: origin + .milliseconds(105))
        #expect(first == second)
        deadlines.remove(bucket: first)
        #expect(deadlines.dueBuckets(at: origin + .seconds(1)) == [first])
        deadlines.remove(bucket: second)
        #expect(deadlines.isEmpty)
    }

    @Test("the earliest bucket is the one the timer sleeps for, rounded up")
    func earliest() throws {
        var deadlines = CallDeadlines(origin: origin)
        _ = deadlines.add(at: origin + .seconds(60))
        _ = deadlines.add(at: origin + .milliseconds(2503))
        let earliest = try #require(deadlines.earliest)
        #expect(earliest >= origin + .milliseconds(2503) && earliest <= origin + .milliseconds(2510))
        #expect(deadlines.dueBuckets(at: origin + .seconds(70)).count == 2)
    }

    @Test("buckets round up: nothing fires early", arguments: [0, 1, 9_999_999, 10_000_000, 10_000_001] as [Int64])
    func roundsUp(nanoseconds: Int64) {
        let bucket = CallDeadlines.bucket(of: .nanoseconds(nanoseconds))
        #expect(CallDeadlines.granularity * Int(bucket) >= .nanoseconds(nanoseconds))
        #expect(CallDeadlines.granularity * Int(bucket) < .nanoseconds(nanoseconds) + CallDeadlines.granularity)
    }
}
