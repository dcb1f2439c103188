import Synchronization

/// How many calls a generation has in flight, and who waits for that to reach zero.
///
/// The routing table counts a call in under its own lock (see ``RoutingTable``); the call's
/// scope counts it out (``RoutingTable/withServer(command:_:)``), so no exit path can leak
/// a count. A drain awaits zero instead of polling. The count is an atomic: every command
/// changes it twice, and only a drain, which is rare, takes the lock.
final class InFlightCalls: Sendable {
    private struct Waiters {
        var byTicket: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var lastTicket: UInt64 = 0
    }

    private let counter = Atomic<Int>(0)
    /// Set while a drain waits; `leave` looks at the waiters only then.
    private let draining = Atomic<Bool>(false)
    private let waiters = Mutex(Waiters())

    var count: Int { counter.load(ordering: .sequentiallyConsistent) }

    func enter() {
        counter.add(1, ordering: .relaxed)
    }

    func leave() {
        // Sequentially consistent with the drain's flag and count: either the drain sees zero,
        // or this sees the drain and wakes it.
        guard counter.subtract(1, ordering: .sequentiallyConsistent).newValue == 0,
              draining.load(ordering: .sequentiallyConsistent) else { return }
        wakeWaiters()
    }

    /// Waits until no call is in flight, or `timeout` passes. Returns whether it drained.
    func drain(timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.waitForZero() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let drained = await group.next() ?? false
            group.cancelAll()
            return drained || count == 0
        }
    }

    private func wakeWaiters() {
        let woken = waiters.withLock { waiters in
            defer {
                waiters.byTicket = [:]
                draining.store(false, ordering: .sequentiallyConsistent)
            }
            return Array(waiters.byTicket.values)
        }
        for waiter in woken { waiter.resume() }
    }

    private func waitForZero() async -> Bool {
        let ticket = waiters.withLock { waiters -> UInt64 in
            waiters.lastTicket += 1
            return waiters.lastTicket
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                enum Registration { case cancelled, alreadyZero, waiting }
                let registration = waiters.withLock { waiters -> Registration in
                    guard !Task.isCancelled else { return .cancelled }
                    waiters.byTicket[ticket] = continuation
                    draining.store(true, ordering: .sequentiallyConsistent)
                    return counter.load(ordering: .sequentiallyConsistent) == 0 ? .alreadyZero : .waiting
                }
                switch registration {
                case .cancelled: continuation.resume()
                // Zero already: wake this waiter (and any other); each is taken out once, under the lock.
                case .alreadyZero: wakeWaiters()
                case .waiting: break
                }
            }
        } onCancel: {
            waiters.withLock { $0.byTicket.removeValue(forKey: ticket) }?.resume()
        }
        return count == 0
    }
}
