import Logging
import ServiceLifecycle
import Synchronization

/// Something that happened to one in-flight cog call.
enum CallEvent: Sendable {
    /// The cog (or the host, when the cog is slow) asked to defer the interaction.
    case deferRequested(ephemeral: Bool, automatic: Bool)
    /// The cog called its completion.
    case completed(status: Int32, bytes: [UInt8])
    /// The cog did not answer within the call's timeout.
    case timedOut
}

/// One host's cog calls in flight: each call's events (the cog's deferral and completion, the
/// host's automatic deferral and timeout), and the one timer that sleeps until the earliest
/// deadline is due.
///
/// ```swift
/// let outcome = await registry.withCall(timeout: .seconds(60), autoDeferAfter: .milliseconds(2500)) { call in
///     generation.start(call, kind: COG_REQUEST_COMMAND, route: "roll", payload: bytes)
///     while true {
///         switch await call.next() { … }
///     }
/// }
/// ```
///
/// Completions arrive through a C function pointer whose only context is one machine word.
/// That word is the call's id: the registry's number in its high bits and a serial in the low
/// ones, never a pointer, so a buggy cog that completes twice or too late finds no call and is
/// logged instead of touching freed memory. The numbers of the live registries are the one
/// thing kept process-wide, because the C trampoline has no other way in.
final class CallRegistry: Service {
    private struct Mailbox {
        var waiter: CheckedContinuation<CallEvent, Never>?
        var buffered: [CallEvent] = []
        var completed = false
        var autoDeferBucket: Int64?
        var timeoutBucket: Int64
    }

    private struct State {
        var mailboxes: [UInt64: Mailbox] = [:]
        var deadlines: CallDeadlines
        /// When the timer will next look; `nil` while it waits for a first deadline.
        var timerTarget: ContinuousClock.Instant?
        /// The timer, parked until a deadline earlier than ``timerTarget`` arrives.
        var parkedTimer: CheckedContinuation<Void, Never>?
        /// A wake-up for a timer that was busy rather than parked: its next park returns at once.
        var wakePending = false
    }

    /// A call's id: the registry number above this many bits, the call's serial below.
    private static let serialBits: UInt64 = 40
    private static let registries = Mutex<[UInt64: WeakRegistry]>([:])
    private static let lastRegistryNumber = Atomic<UInt64>(0)

    private let number: UInt64
    private let lastSerial = Atomic<UInt64>(0)
    private let state: Mutex<State>
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
        number = Self.lastRegistryNumber.add(1, ordering: .relaxed).newValue
        state = Mutex(State(deadlines: CallDeadlines(origin: .now)))
        Self.registries.withLock { $0[number] = WeakRegistry(registry: self) }
    }

    deinit {
        Self.registries.withLock { _ = $0.removeValue(forKey: number) }
    }

    /// Runs `body` with a new call open; the call closes when `body` returns, on every path,
    /// and later events for it are reported as late.
    ///
    /// - Parameters:
    ///   - timeout: After this the call gets ``CallEvent/timedOut``.
    ///   - autoDeferAfter: After this, unless the cog deferred or answered, the call gets an
    ///     automatic ``CallEvent/deferRequested(ephemeral:automatic:)``; `nil` for never.
    func withCall<Result>(
        timeout: Duration, autoDeferAfter: Duration?, _ body: (CogCall) async -> Result
    ) async -> Result {
        let call = open(timeout: timeout, autoDeferAfter: autoDeferAfter)
        defer { close(call.id) }
        return await body(call)
    }

    /// Delivers `event` to the call whose id is `context` (the word a cog got with its
    /// request). Returns `false` when no such call is open: a late or duplicate callback.
    @discardableResult
    static func post(_ event: CallEvent, toCall id: UInt64) -> Bool {
        let registry = registries.withLock { $0[id >> serialBits]?.registry }
        return registry?.post(event, to: id) ?? false
    }

    /// Sleeps until the earliest deadline, posts what is due, and sleeps again; a deadline
    /// earlier than the one slept for wakes it. Ends with the host's service group.
    func run() async throws {
        try await untilGracefulShutdown {
            while true {
                try Task.checkCancellation()
                let target = self.postDue(now: .now)
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await self.park() }
                    if let target { group.addTask { try? await Task.sleep(until: target, clock: .continuous) } }
                    await group.next()
                    group.cancelAll()
                }
            }
        }
    }

    private func open(timeout: Duration, autoDeferAfter: Duration?) -> CogCall {
        let id = number << Self.serialBits | lastSerial.add(1, ordering: .relaxed).newValue
        let now = ContinuousClock.now
        let timer: CheckedContinuation<Void, Never>? = state.withLock { state in
            let timeoutBucket = state.deadlines.add(id, kind: .timeout, at: now + timeout)
            var earliest = timeoutBucket
            var autoDeferBucket: Int64?
            if let autoDeferAfter {
                let bucket = state.deadlines.add(id, kind: .autoDefer, at: now + autoDeferAfter)
                autoDeferBucket = bucket
                earliest = min(earliest, bucket)
            }
            state.mailboxes[id] = Mailbox(autoDeferBucket: autoDeferBucket, timeoutBucket: timeoutBucket)
            // Wake the timer only when this deadline comes before the one it sleeps for.
            if let target = state.timerTarget, !state.deadlines.bucket(earliest, isBefore: target) { return nil }
            state.timerTarget = nil
            guard let parked = state.parkedTimer else {
                state.wakePending = true
                return nil
            }
            state.parkedTimer = nil
            return parked
        }
        timer?.resume()
        return CogCall(id: id, registry: self)
    }

    private func close(_ id: UInt64) {
        state.withLock { state in
            guard let mailbox = state.mailboxes.removeValue(forKey: id) else { return }
            forgetDeadlines(of: id, mailbox, in: &state)
        }
    }

    private func forgetDeadlines(of id: UInt64, _ mailbox: Mailbox, in state: inout State) {
        state.deadlines.remove(id, kind: .timeout, bucket: mailbox.timeoutBucket)
        if let bucket = mailbox.autoDeferBucket { state.deadlines.remove(id, kind: .autoDefer, bucket: bucket) }
    }

    @discardableResult
    private func post(_ event: CallEvent, to id: UInt64) -> Bool {
        let (known, waiter): (Bool, CheckedContinuation<CallEvent, Never>?) = state.withLock { state in
            guard var box = state.mailboxes[id] else { return (false, nil) }
            guard !box.completed else { return (true, nil) }
            switch event {
            case .completed, .timedOut:
                box.completed = true
                forgetDeadlines(of: id, box, in: &state)
            case .deferRequested:
                if let bucket = box.autoDeferBucket { state.deadlines.remove(id, kind: .autoDefer, bucket: bucket) }
                box.autoDeferBucket = nil
            }
            let waiter = box.waiter
            box.waiter = nil
            if waiter == nil { box.buffered.append(event) }
            state.mailboxes[id] = box
            return (true, waiter)
        }
        waiter?.resume(returning: event)
        return known
    }

    /// Waits for the next event of call `id`.
    fileprivate func next(_ id: UInt64) async -> CallEvent {
        await withCheckedContinuation { continuation in
            let ready: CallEvent? = state.withLock { state in
                guard var box = state.mailboxes[id] else { return .timedOut }
                if !box.buffered.isEmpty {
                    let event = box.buffered.removeFirst()
                    state.mailboxes[id] = box
                    return event
                }
                box.waiter = continuation
                state.mailboxes[id] = box
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Posts the deadlines due at `now`; returns when the timer should look next.
    private func postDue(now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        let (due, next) = state.withLock { state in
            let due = state.deadlines.takeDue(at: now)
            state.timerTarget = state.deadlines.earliest
            return (due, state.timerTarget)
        }
        for deadline in due {
            switch deadline.kind {
            case .autoDefer: post(.deferRequested(ephemeral: false, automatic: true), to: deadline.call)
            case .timeout: post(.timedOut, to: deadline.call)
            }
        }
        return next
    }

    /// Parks the timer until ``open(timeout:autoDeferAfter:)`` wakes it or the task is cancelled.
    private func park() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let parked = state.withLock { state in
                    guard !Task.isCancelled, !state.wakePending else {
                        state.wakePending = false
                        return false
                    }
                    state.parkedTimer = continuation
                    return true
                }
                if !parked { continuation.resume() }
            }
        } onCancel: {
            state.withLock { state in
                defer { state.parkedTimer = nil }
                return state.parkedTimer
            }?.resume()
        }
    }
}

/// One open call: the id the cog gets back as its completion context, and its events.
struct CogCall: Sendable {
    let id: UInt64
    fileprivate let registry: CallRegistry

    /// The completion context handed to the cog.
    var context: UnsafeMutableRawPointer? { UnsafeMutableRawPointer(bitPattern: UInt(id)) }

    /// Waits for what happens next to this call.
    func next() async -> CallEvent {
        await registry.next(id)
    }
}

private struct WeakRegistry: Sendable {
    weak var registry: CallRegistry?
}
