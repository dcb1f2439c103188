import Synchronization

/// Counts invalid responses (401, 403, and 429 except the `shared` scope) over ten minutes,
/// as Discord does before banning an IP at 10,000, and refuses to send past a budget kept far
/// below that.
final class InvalidRequestGuard: Sendable {
    private static let slots = 10
    private static let slotLength: Duration = .seconds(60)

    private struct Window {
        var counts = [Int](repeating: 0, count: InvalidRequestGuard.slots)
        var slotStarts = [ContinuousClock.Instant?](repeating: nil, count: InvalidRequestGuard.slots)
    }

    private let budget: Int
    private let origin = ContinuousClock.now
    private let window = Mutex(Window())

    init(budget: Int) {
        self.budget = budget
    }

    /// Records an answer's status.
    func record(status: Int, scope: String?) {
        let invalid = status == 401 || status == 403 || (status == 429 && scope != "shared")
        guard invalid else { return }
        window.withLock { window in
            let (slot, start) = currentSlot()
            if window.slotStarts[slot] != start {
                window.slotStarts[slot] = start
                window.counts[slot] = 0
            }
            window.counts[slot] += 1
        }
    }

    /// Throws when the budget is spent.
    func check() throws(RESTError) {
        let count = recentCount
        if count >= budget { throw .invalidRequestBudgetExhausted(count: count, budget: budget) }
    }

    /// Invalid responses in the last ten minutes.
    var recentCount: Int {
        window.withLock { window in
            let now = ContinuousClock.now
            var total = 0
            for index in 0..<Self.slots {
                if let start = window.slotStarts[index], now - start < Self.slotLength * Self.slots {
                    total += window.counts[index]
                }
            }
            return total
        }
    }

    private func currentSlot() -> (Int, ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - origin
        let index = Int(elapsed / Self.slotLength)
        return (index % Self.slots, origin + Self.slotLength * index)
    }
}
