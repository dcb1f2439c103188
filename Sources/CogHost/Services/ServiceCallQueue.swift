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

    private let stream: AsyncStream<Call>
    private let continuation: AsyncStream<Call>.Continuation
    /// Calls enqueued and not yet completed, and who waits for there to be none.
    private let outstanding = Mutex<(count: Int, waiters: [CheckedContinuation<Void, Never>])>((0, []))

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Call.self)
    }

    /// Takes no more calls: later ones fail at once with "the host is shutting down".
    func finish() {
        continuation.finish()
    }

    func enqueue(_ call: Call) {
        outstanding.withLock { $0.count += 1 }
        if case .terminated = continuation.yield(call) {
            call.completion.complete(status: COG_ERR_FAILED, Array("the host is shutting down".utf8))
            callEnded()
        }
    }

    /// Returns once every call enqueued so far has completed.
    func settled() async {
        await withCheckedContinuation { continuation in
            let idle = outstanding.withLock { state in
                guard state.count > 0 else { return true }
                state.waiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    private func callEnded() {
        let waiters = outstanding.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.count -= 1
            guard state.count == 0 else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Runs queued calls, each in its own child task, until the queue ends (``finish()``) or
    /// the task is cancelled, then waits for the calls already started.
    func run(using providers: CogServiceProviders) async {
        await withDiscardingTaskGroup { group in
            for await call in stream {
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
