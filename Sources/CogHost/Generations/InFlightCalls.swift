import Synchronization

/// How many calls a generation has in flight, and who waits for that to reach zero.
///
/// The routing table counts a call in under its own lock (see ``RoutingTable``); the call's
/// scope counts it out (``RoutingTable/withGeneration(command:_:)``), so no exit path can leak
/// a count. A drain awaits zero instead of polling.
final class InFlightCalls: Sendable {
    private struct State {
        var count = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var lastWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    var count: Int { state.withLock { $0.count } }

    func enter() {
        state.withLock { $0.count += 1 }
    }

    func leave() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            state.count -= 1
            guard state.count == 0, !state.waiters.isEmpty else { return [] }
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
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

    private func waitForZero() async -> Bool {
        let ticket = state.withLock { state -> UInt64 in
            state.lastWaiter += 1
            return state.lastWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let idle = state.withLock { state in
                    guard state.count > 0, !Task.isCancelled else { return true }
                    state.waiters[ticket] = continuation
                    return false
                }
                if idle { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: ticket) }?.resume()
        }
        return count == 0
    }
}
