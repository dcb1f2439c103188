import CCogABI
import Logging
import Synchronization

/// Service calls waiting to run. A cog's `call_service` returns at once; the call runs in a
/// task of the host's ``run()``, which owns it, and its completion goes back to the cog.
final class ServiceCallQueue: Sendable {
    /// One call from one cog.
    struct Call: Sendable {
        let cog: String
        let request: [UInt8]
        let completion: ServiceCompletion
        let logger: Logger
    }

    /// The ids of calls waiting to start, in order; the calls themselves are in ``State/waiting``,
    /// so the ones a cancelled run never took can still be completed.
    private let stream: AsyncStream<UInt64>
    private let continuation: AsyncStream<UInt64>.Continuation
    private let state = Mutex(State())

    private struct State {
        var nextID: UInt64 = 0
        var waiting: [UInt64: Call] = [:]
        /// Calls enqueued and not yet completed.
        var outstanding = 0
        var settleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: UInt64.self)
    }

    /// Takes no more calls: later ones fail at once with "the host is shutting down".
    func finish() {
        continuation.finish()
    }

    func enqueue(_ call: Call) {
        let id = state.withLock { state in
            state.nextID += 1
            state.waiting[state.nextID] = call
            state.outstanding += 1
            return state.nextID
        }
        if case .terminated = continuation.yield(id), let refused = take(id) { refuse(refused) }
    }

    /// Returns once no call is outstanding (at once when none is): for test harnesses.
    func settled() async {
        await withCheckedContinuation { continuation in
            let idle = state.withLock { state in
                guard state.outstanding > 0 else { return true }
                state.settleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    private func take(_ id: UInt64) -> Call? {
        state.withLock { $0.waiting.removeValue(forKey: id) }
    }

    private func refuse(_ call: Call) {
        call.completion.complete(status: COG_ERR_FAILED, Array("the host is shutting down".utf8))
        callEnded()
    }

    private func callEnded() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.outstanding -= 1
            guard state.outstanding == 0 else { return [] }
            defer { state.settleWaiters = [] }
            return state.settleWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Runs queued calls, each in its own child task, until the queue ends (``finish()``) or
    /// the task is cancelled, then waits for the calls already started; a call that never
    /// started is completed with "the host is shutting down", so each completes exactly once.
    func run(using providers: CogServiceProviders) async {
        await withDiscardingTaskGroup { group in
            for await id in stream {
                guard let call = take(id) else { continue }
                group.addTask {
                    defer { self.callEnded() }
                    do {
                        let answer = try await providers.perform(call.request, cog: call.cog)
                        call.completion.complete(status: COG_OK, answer)
                    } catch let error as ServiceError {
                        call.logger.warning("service call refused", metadata: ["reason": "\(error)"])
                        call.completion.complete(status: error.status, Array(error.message.utf8))
                    } catch {
                        call.logger.warning("service call failed", metadata: ["reason": "\(error)"])
                        call.completion.complete(status: COG_ERR_FAILED, Array("\(error)".utf8))
                    }
                }
                if Task.isCancelled { break }
            }
        }
        continuation.finish()
        let neverStarted = state.withLock { state in
            defer { state.waiting = [:] }
            return state.waiting.sorted { $0.key < $1.key }.map(\.value)
        }
        for call in neverStarted { refuse(call) }
    }
}

/// The cog's completion callback for one service call.
struct ServiceCompletion: @unchecked Sendable {
    // @unchecked: the cog promises the context stays valid until the callback runs once.
    let function: cog_completion_fn
    let context: UnsafeMutableRawPointer?

    func complete(status: cog_status, _ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { function(context, Int32(status.rawValue), $0.baseAddress, $0.count) }
    }
}
