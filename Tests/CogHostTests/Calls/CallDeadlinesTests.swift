@testable import CogHost
import Testing

/// The deadlines of cog calls in flight, without a clock or a timer.
@Suite("Call deadlines: automatic deferrals and timeouts, due exactly when they should be")
struct CallDeadlinesTests {
    let origin = ContinuousClock.now

    @Test("a deadline is due at its instant, never earlier, and only once")
    func dueOnce() {
        var deadlines = CallDeadlines(origin: origin)
        _ = deadlines.add(1, kind: .autoDefer, at: origin + .milliseconds(2500))
        _ = deadlines.add(1, kind: .timeout, at: origin + .seconds(60))
        #expect(deadlines.takeDue(at: origin + .milliseconds(2490)).isEmpty)
        #expect(deadlines.takeDue(at: origin + .milliseconds(2500)) == [.init(call: 1, kind: .autoDefer)])
        #expect(deadlines.takeDue(at: origin + .milliseconds(2600)).isEmpty)
        #expect(deadlines.earliest == origin + .seconds(60))
        #expect(deadlines.takeDue(at: origin + .seconds(61)) == [.init(call: 1, kind: .timeout)])
        #expect(deadlines.isEmpty)
    }

    @Test("a call that finishes leaves at once, so nothing stays behind to wake the timer")
    func finishedCallsLeave() {
        var deadlines = CallDeadlines(origin: origin)
        for call in UInt64(1)...1000 {
            let start = origin + .microseconds(Int64(call) * 10)
            let deferBucket = deadlines.add(call, kind: .autoDefer, at: start + .milliseconds(2500))
            let timeoutBucket = deadlines.add(call, kind: .timeout, at: start + .seconds(60))
            deadlines.remove(call, kind: .autoDefer, bucket: deferBucket)
            deadlines.remove(call, kind: .timeout, bucket: timeoutBucket)
        }
        #expect(deadlines.isEmpty)
        #expect(deadlines.earliest == nil)
    }

    @Test("the earliest deadline is the one the timer sleeps for, rounded up to the bucket")
    func earliest() {
        var deadlines = CallDeadlines(origin: origin)
        _ = deadlines.add(7, kind: .timeout, at: origin + .seconds(60))
        _ = deadlines.add(8, kind: .autoDefer, at: origin + .milliseconds(2503))
        let earliest = try! #require(deadlines.earliest)
        #expect(earliest >= origin + .milliseconds(2503) && earliest <= origin + .milliseconds(2510))
        let due = deadlines.takeDue(at: origin + .seconds(70))
        #expect(Set(due.map(\.call)) == [7, 8])
        #expect(due.first == .init(call: 8, kind: .autoDefer), "oldest first")
    }

    @Test("buckets round up: nothing fires early", arguments: [0, 1, 9_999_999, 10_000_000, 10_000_001] as [Int64])
    func roundsUp(nanoseconds: Int64) {
        let bucket = CallDeadlines.bucket(of: .nanoseconds(nanoseconds))
        #expect(CallDeadlines.granularity * Int(bucket) >= .nanoseconds(nanoseconds))
        #expect(CallDeadlines.granularity * Int(bucket) < .nanoseconds(nanoseconds) + CallDeadlines.granularity)
    }
}
