import Synchronization

/// Something that happened to one in-flight cog call.
enum CallEvent: Sendable {
    /// The cog (or the host, when the cog is slow) asked to defer the interaction.
    case deferRequested(ephemeral: Bool, automatic: Bool)
    /// The cog called its completion.
    case completed(status: Int32, bytes: [UInt8])
    /// The cog did not answer within the handler timeout.
    case timedOut
}

/// Per-call mailboxes that carry events from C callbacks (any thread) to the task waiting on
/// the call.
///
/// Completions arrive through a C function pointer with an opaque context; the context is the
/// call's id, not a pointer, so a buggy cog that completes twice or too late finds no mailbox
/// and is logged instead of touching freed memory.
final class CallMailboxes: Sendable {
    /// Shared by every host in the process: the C completion trampoline has no other way in.
    static let shared = CallMailboxes()

    private struct Mailbox {
        var waiter: CheckedContinuation<CallEvent, Never>?
        var buffered: [CallEvent] = []
        let startedAt: ContinuousClock.Instant
        let deadline: ContinuousClock.Instant
        var autoDeferAt: ContinuousClock.Instant?
        var completed = false
    }

    private let mailboxes = Mutex<[UInt64: Mailbox]>([:])
    private let lastID = Atomic<UInt64>(0)

    /// Opens a mailbox for a new call and returns its id (never 0).
    func open(timeout: Duration, autoDeferAfter: Duration?) -> UInt64 {
        let id = lastID.add(1, ordering: .relaxed).newValue
        let now = ContinuousClock.now
        let mailbox = Mailbox(startedAt: now, deadline: now + timeout, autoDeferAt: autoDeferAfter.map { now + $0 })
        mailboxes.withLock { $0[id] = mailbox }
        return id
    }

    /// Delivers `event` to call `id`. Returns `false` when the call is unknown or already
    /// completed (a late or duplicate callback).
    @discardableResult
    func post(_ event: CallEvent, to id: UInt64) -> Bool {
        let waiter: CheckedContinuation<CallEvent, Never>? = mailboxes.withLock { boxes in
            guard var box = boxes[id], !box.completed else { return nil }
            if case .completed = event { box.completed = true }
            if case .timedOut = event { box.completed = true }
            if case .deferRequested = event { box.autoDeferAt = nil }
            defer { boxes[id] = box }
            if let waiter = box.waiter {
                box.waiter = nil
                return waiter
            }
            box.buffered.append(event)
            return nil
        } ?? nil
        if let waiter {
            waiter.resume(returning: event)
            return true
        }
        return mailboxes.withLock { $0[id] != nil }
    }

    /// Waits for the next event of call `id`.
    func next(_ id: UInt64) async -> CallEvent {
        await withCheckedContinuation { continuation in
            let ready: CallEvent? = mailboxes.withLock { boxes in
                guard var box = boxes[id] else { return .timedOut }
                if !box.buffered.isEmpty {
                    let event = box.buffered.removeFirst()
                    boxes[id] = box
                    return event
                }
                box.waiter = continuation
                boxes[id] = box
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Forgets call `id`; later callbacks for it are reported as late.
    func close(_ id: UInt64) {
        mailboxes.withLock { _ = $0.removeValue(forKey: id) }
    }

    /// Posts automatic deferrals and timeouts that are due. Returns how many calls are open.
    @discardableResult
    func sweep(now: ContinuousClock.Instant = .now) -> Int {
        let (due, open): ([(UInt64, CallEvent)], Int) = mailboxes.withLock { boxes in
            var due: [(UInt64, CallEvent)] = []
            for (id, box) in boxes where !box.completed {
                if box.deadline <= now {
                    due.append((id, .timedOut))
                } else if let autoDeferAt = box.autoDeferAt, autoDeferAt <= now {
                    due.append((id, .deferRequested(ephemeral: false, automatic: true)))
                }
            }
            return (due, boxes.count)
        }
        for (id, event) in due { post(event, to: id) }
        return open
    }
}
