import Foundation
import Synchronization

/// The time the host's scheduled jobs and cooldowns read: the system clock in a bot, a
/// virtual clock that tests move forward in the cog test harness.
///
/// ```swift
/// let clock = HostClock.manual(startingAt: Date(timeIntervalSince1970: 1_790_000_000))
/// clock.advance(by: .seconds(3600))   // jobs due in the hour become due; cooldowns expire
/// ```
public final class HostClock: Sendable {
    /// Seconds added to the real clocks; only a manual clock moves it.
    private let offset: Mutex<Double>
    private let start: Date?

    private init(start: Date?) {
        self.start = start
        offset = Mutex(0)
    }

    /// The system clock.
    public static let system = HostClock(start: nil)

    /// A clock that stands still at `start` until ``advance(by:)`` moves it.
    public static func manual(startingAt start: Date) -> HostClock {
        HostClock(start: start)
    }

    /// Whether the clock only moves when told to.
    public var isManual: Bool { start != nil }

    /// The wall-clock time now.
    public func now() -> Date {
        guard let start else { return Date() }
        return start.addingTimeInterval(offset.withLock { $0 })
    }

    /// Seconds on a monotonic clock, for cooldowns.
    public func monotonicSeconds() -> Double {
        guard start != nil else { return CooldownBook.monotonicSeconds() }
        return offset.withLock { $0 }
    }

    /// Moves a manual clock forward. The system clock cannot be moved.
    public func advance(by duration: Duration) {
        precondition(isManual, "only a manual HostClock can be advanced")
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        offset.withLock { $0 += seconds }
    }
}
