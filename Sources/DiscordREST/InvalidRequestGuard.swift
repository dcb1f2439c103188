import Synchronization

/// Counts invalid responses (401, 403, and 429 except the `shared` scope) over ten minutes,
/// as Discord does before banning an IP at 10,000, and refuses to send past a budget kept far
/// below that.
///
/// The counts are kept per cause as well: a cog whose posts players can make fail (a channel
/// it may not write to) spends its own share, a quarter of the budget, and only its requests
/// are refused once that is spent. Interaction answers are never refused: a player always gets
/// an answer while Discord still takes requests.
final class InvalidRequestGuard: Sendable {
    private static let slots = 10
    private static let slotLength: Duration = .seconds(60)

    private struct Window {
        var counts = [Int](repeating: 0, count: InvalidRequestGuard.slots)
        var slotStarts = [ContinuousClock.Instant?](repeating: nil, count: InvalidRequestGuard.slots)

        mutating func add(at slot: Int, start: ContinuousClock.Instant) {
            if slotStarts[slot] != start {
                slotStarts[slot] = start
                counts[slot] = 0
            }
            counts[slot] += 1
        }

        func total(now: ContinuousClock.Instant) -> Int {
            var total = 0
            for index in 0..<InvalidRequestGuard.slots {
                if let start = slotStarts[index], now - start < InvalidRequestGuard.slotLength * InvalidRequestGuard.slots {
                    total += counts[index]
                }
            }
            return total
        }
    }

    private struct Windows {
        var all = Window()
        var byCause: [String: Window] = [:]
    }

    private let budget: Int
    /// What one cause may spend.
    var causeBudget: Int { max(1, budget / 4) }
    private let origin = ContinuousClock.now
    private let windows = Mutex(Windows())

    init(budget: Int) {
        self.budget = budget
    }

    /// Records an answer's status, for the bot and for `cause` (`cog:xp`; `nil` for the host).
    func record(status: Int, scope: String?, cause: String?) {
        let invalid = status == 401 || status == 403 || (status == 429 && scope != "shared")
        guard invalid else { return }
        let (slot, start) = currentSlot()
        windows.withLock { windows in
            windows.all.add(at: slot, start: start)
            if let cause { windows.byCause[cause, default: Window()].add(at: slot, start: start) }
        }
    }

    /// Throws when the bot's budget, or `cause`'s share of it, is spent.
    func check(cause: String?) throws(RESTError) {
        let now = ContinuousClock.now
        let (all, own) = windows.withLock { windows in
            (windows.all.total(now: now), cause.flatMap { windows.byCause[$0]?.total(now: now) } ?? 0)
        }
        if all >= budget { throw .invalidRequestBudgetExhausted(count: all, budget: budget, cause: nil) }
        if let cause, own >= causeBudget { throw .invalidRequestBudgetExhausted(count: own, budget: causeBudget, cause: cause) }
    }

    /// Invalid responses in the last ten minutes.
    var recentCount: Int {
        let now = ContinuousClock.now
        return windows.withLock { $0.all.total(now: now) }
    }

    private func currentSlot() -> (Int, ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - origin
        let index = Int(elapsed / Self.slotLength)
        return (index % Self.slots, origin + Self.slotLength * index)
    }
}
