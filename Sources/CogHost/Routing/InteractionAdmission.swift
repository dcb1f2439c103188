import Synchronization

/// How many interactions the host serves at once. Past ``InteractionAdmission/Limits/serving``
/// a player gets a brief "busy, try again" instead of a queued task; past that many busy
/// answers too the interaction is dropped (Discord shows its own "did not respond"). Nothing
/// grows with a burst: each admitted interaction is one task, and there are at most
/// `serving + busyAnswers` of them.
///
/// ```swift
/// switch router.admission.enter() {
/// case .serve: group.addTask { defer { router.admission.leave(.serve) }; await router.handle(interaction: payload, responder: responder) }
/// case .answerBusy: group.addTask { defer { router.admission.leave(.answerBusy) }; await router.answerBusy(interaction: payload, responder: responder) }
/// case .drop: break
/// }
/// ```
public final class InteractionAdmission: Sendable {
    /// The bounds; `COGWHEEL_MAX_IN_FLIGHT` sets ``serving``.
    public struct Limits: Sendable, Equatable {
        /// Interactions routed to cogs at once.
        public var serving: Int
        /// "Busy" answers on their way at once.
        public var busyAnswers: Int

        public static let standard = Limits(serving: 1_000)

        public init(serving: Int, busyAnswers: Int? = nil) {
            self.serving = serving
            self.busyAnswers = busyAnswers ?? max(16, serving / 4)
        }
    }

    public enum Decision: Sendable, Equatable {
        case serve
        case answerBusy
        case drop
    }

    public let limits: Limits
    private let serving = Atomic<Int>(0)
    private let answeringBusy = Atomic<Int>(0)

    public init(limits: Limits) {
        self.limits = limits
    }

    /// Takes a place for one interaction; every decision but `.drop` must be matched by one
    /// ``leave(_:)`` when its task ends.
    public func enter() -> Decision {
        if Self.take(serving, upTo: limits.serving) { return .serve }
        if Self.take(answeringBusy, upTo: limits.busyAnswers) { return .answerBusy }
        return .drop
    }

    public func leave(_ decision: Decision) {
        switch decision {
        case .serve: serving.subtract(1, ordering: .relaxed)
        case .answerBusy: answeringBusy.subtract(1, ordering: .relaxed)
        case .drop: break
        }
    }

    /// Interactions being served now.
    public var inFlight: Int { serving.load(ordering: .relaxed) }

    private static func take(_ counter: borrowing Atomic<Int>, upTo limit: Int) -> Bool {
        var current = counter.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = counter.compareExchange(expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }
}
