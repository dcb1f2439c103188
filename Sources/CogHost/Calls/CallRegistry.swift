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
/// That word is the call's id: the registry's number in its high bits and, in the low 48, a
/// keyed hash of a serial, never a pointer. A buggy cog that completes twice or too late finds
/// no call and is logged instead of touching freed memory, and a cog cannot work out another
/// cog's ids from its own to complete or defer their calls: every cog shares the one completion
/// trampoline and defer entry, so the id is all they check. The table from registry numbers to registries is
/// the one thing kept process-wide, because the C trampoline has no other way in.
final class CallRegistry: Service {
    /// A call's id: the registry number above this many bits, the hashed serial below.
    private static let serialBits: UInt64 = 48
    /// The registries by number, for the C trampolines. Registries are never freed (one per
    /// host, a few hundred bytes when idle), so a late completion can always look its
    /// registry up; a slot is written once, before any call of its registry exists, so the
    /// lookups on the completion path take no lock.
    private static let capacity = 1 << 16
    nonisolated(unsafe) private static let directory: UnsafeMutablePointer<UnsafeRawPointer?> = {
        let table = UnsafeMutablePointer<UnsafeRawPointer?>.allocate(capacity: capacity)
        table.initialize(repeating: nil, count: capacity)
        return table
    }()
    private static let lastRegistryNumber = Mutex<Int>(0)
    /// Calls are spread over this many shards, each with its own lock and timer, so that
    /// commands answered on different threads rarely wait for each other.
    private static let shardCount = 8

    private let number: UInt64
    private let lastSerial = Atomic<UInt64>(0)
    /// The key of the serials' hash, drawn once per registry.
    private let idKey = (UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))
    private let shards: [CallShard]

    private init(number: Int) {
        self.number = UInt64(number)
        let origin = ContinuousClock.now
        shards = (0..<Self.shardCount).map { _ in CallShard(origin: origin) }
    }

    /// A new registry; it lives as long as the process.
    static func make() -> CallRegistry {
        lastRegistryNumber.withLock { last in
            last += 1
            precondition(last < capacity, "more than \(capacity - 1) cog hosts in one process")
            let registry = CallRegistry(number: last)
            directory[last] = UnsafeRawPointer(Unmanaged.passRetained(registry).toOpaque())
            return registry
        }
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
        var id: UInt64
        var shard: CallShard
        repeat {
            id = number << Self.serialBits | scrambled(lastSerial.add(1, ordering: .relaxed).newValue)
            shard = self.shard(of: id)
        } while !shard.open(id, timeout: timeout, autoDeferAfter: autoDeferAfter)
        defer { shard.close(id) }
        return await body(CogCall(id: id, shard: shard))
    }

    /// Delivers `event` to the call whose id is `context` (the word a cog got with its
    /// request). Returns `false` when no such call is open: a late or duplicate callback.
    @discardableResult
    static func post(_ event: CallEvent, toCall id: UInt64) -> Bool {
        let number = Int(id >> serialBits)
        guard number > 0, number < capacity, let pointer = directory[number] else { return false }
        let registry = Unmanaged<CallRegistry>.fromOpaque(pointer).takeUnretainedValue()
        return registry.shard(of: id).post(event, to: id)
    }

    /// Each shard's timer: sleeps until the shard's earliest deadline, posts what is due, and
    /// sleeps again. Ends with the host's service group.
    func run() async throws {
        try await untilGracefulShutdown {
            await withDiscardingTaskGroup { timers in
                for shard in self.shards { timers.addTask { await shard.runTimer() } }
            }
        }
    }

    /// The low bits of a call's id: SipHash (Swift's `Hasher`) of the serial under this
    /// registry's key, so ids are unique per serial in practice (a clash is drawn again) and
    /// do not follow from each other.
    private func scrambled(_ serial: UInt64) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(idKey.0)
        hasher.combine(serial)
        hasher.combine(idKey.1)
        return UInt64(UInt(bitPattern: hasher.finalize())) & (1 << Self.serialBits - 1)
    }

    private func shard(of id: UInt64) -> CallShard {
        shards[Int(id % UInt64(Self.shardCount))]
    }
}

/// Some of a registry's calls: their mailboxes, deadlines and timer, under one lock.
private final class CallShard: Sendable {
    private struct Mailbox {
        var waiter: CheckedContinuation<CallEvent, Never>?
        var buffered: [CallEvent] = []
        var completed = false
        /// When the host defers for a slow cog; `nil` once deferred (or for calls that never are).
        var autoDeferAt: ContinuousClock.Instant?
        let timeoutAt: ContinuousClock.Instant
        /// The deadline bucket the call is counted in, until it completes.
        var bucket: Int64?

        /// The next deadline: the automatic deferral while it is pending, then the timeout.
        var nextDeadline: ContinuousClock.Instant { min(autoDeferAt ?? timeoutAt, timeoutAt) }

        /// What falls due at ``nextDeadline``.
        var dueEvent: CallEvent {
            if let autoDeferAt, autoDeferAt < timeoutAt { return .deferRequested(ephemeral: false, automatic: true) }
            return .timedOut
        }
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

        /// Counts `id` in the bucket of its next deadline; returns the timer to wake, if the
        /// deadline comes before the one the timer sleeps for.
        mutating func schedule(_ id: UInt64) -> CheckedContinuation<Void, Never>? {
            guard let deadline = mailboxes[id]?.nextDeadline else { return nil }
            let bucket = deadlines.add(at: deadline)
            mailboxes[id]?.bucket = bucket
            if let target = timerTarget, deadlines.instant(of: bucket) >= target { return nil }
            timerTarget = nil
            guard let parked = parkedTimer else {
                wakePending = true
                return nil
            }
            parkedTimer = nil
            return parked
        }

        mutating func unschedule(_ id: UInt64) {
            guard let bucket = mailboxes[id]?.bucket else { return }
            deadlines.remove(bucket: bucket)
            mailboxes[id]?.bucket = nil
        }
    }

    private let state: Mutex<State>

    init(origin: ContinuousClock.Instant) {
        state = Mutex(State(deadlines: CallDeadlines(origin: origin)))
    }

    /// Sleeps until the earliest deadline, posts what is due, and sleeps again; a deadline
    /// earlier than the one slept for wakes it. Ends when cancelled.
    func runTimer() async {
        while !Task.isCancelled {
            let target = postDue(now: .now)
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.park() }
                if let target { group.addTask { try? await Task.sleep(until: target, clock: .continuous) } }
                await group.next()
                group.cancelAll()
            }
        }
    }

    /// Opens call `id`; `false` when a call with that id is already open.
    func open(_ id: UInt64, timeout: Duration, autoDeferAfter: Duration?) -> Bool {
        let now = ContinuousClock.now
        let (opened, timer) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
            guard state.mailboxes[id] == nil else { return (false, nil) }
            state.mailboxes[id] = Mailbox(autoDeferAt: autoDeferAfter.map { now + $0 }, timeoutAt: now + timeout)
            return (true, state.schedule(id))
        }
        timer?.resume()
        return opened
    }

    func close(_ id: UInt64) {
        state.withLock { state in
            state.unschedule(id)
            state.mailboxes[id] = nil
        }
    }

    @discardableResult
    func post(_ event: CallEvent, to id: UInt64) -> Bool {
        let (known, waiter, timer): (Bool, CheckedContinuation<CallEvent, Never>?, CheckedContinuation<Void, Never>?) =
            state.withLock { state in
                // Changed in place: a copy of the mailbox would make appending an event copy its buffer.
                guard let box = state.mailboxes[id] else { return (false, nil, nil) }
                guard !box.completed else { return (true, nil, nil) }
                var timer: CheckedContinuation<Void, Never>?
                switch event {
                case .completed, .timedOut:
                    state.unschedule(id)
                    state.mailboxes[id]!.completed = true
                case .deferRequested:
                    if box.autoDeferAt != nil {
                        // Deferred: from now on only the timeout is due.
                        state.unschedule(id)
                        state.mailboxes[id]!.autoDeferAt = nil
                        timer = state.schedule(id)
                    }
                }
                let waiter = box.waiter
                if waiter == nil {
                    state.mailboxes[id]!.buffered.append(event)
                } else {
                    state.mailboxes[id]!.waiter = nil
                }
                return (true, waiter, timer)
            }
        timer?.resume()
        waiter?.resume(returning: event)
        return known
    }

    /// Waits for the next event of call `id`. A cancelled wait ends the call as timed out, so
    /// a shutdown past its bound never waits on a cog.
    func next(_ id: UInt64) async -> CallEvent {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready: CallEvent? = state.withLock { state in
                    guard let box = state.mailboxes[id] else { return .timedOut }
                    if !box.buffered.isEmpty { return state.mailboxes[id]!.buffered.removeFirst() }
                    if Task.isCancelled { return .timedOut }
                    state.mailboxes[id]!.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            post(.timedOut, to: id)
        }
    }

    /// Posts the deadlines due at `now`; returns when the timer should look next.
    private func postDue(now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        let due: [(UInt64, CallEvent)] = state.withLock { state in
            let buckets = state.deadlines.dueBuckets(at: now)
            guard !buckets.isEmpty else { return [] }
            return state.mailboxes.compactMap { id, box in
                guard let bucket = box.bucket, buckets.contains(bucket), !box.completed else { return nil }
                return (id, box.dueEvent)
            }
        }
        for (id, event) in due { post(event, to: id) }
        return state.withLock { state in
            state.timerTarget = state.deadlines.earliest
            return state.timerTarget
        }
    }

    /// Parks the timer until ``open(_:timeout:autoDeferAfter:)`` wakes it or the task is cancelled.
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
    fileprivate let shard: CallShard

    /// The completion context handed to the cog.
    var context: UnsafeMutableRawPointer? { UnsafeMutableRawPointer(bitPattern: UInt(id)) }

    /// Waits for what happens next to this call.
    func next() async -> CallEvent {
        await shard.next(id)
    }
}
