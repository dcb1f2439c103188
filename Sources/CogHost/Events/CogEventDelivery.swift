import CCogABI
import CogWire
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Gateway events to the cogs that declared them (docs/cog-abi.md, "Events").
///
/// Each cog has its own bounded queue of ``lanesPerCog`` lanes; a guild's events always take the
/// same lane, and a lane sends its next event when the cog completed the previous one. So the
/// events of one guild reach a cog in gateway order, a slow cog holds up only its own lanes,
/// and the gateway never waits: ``deliver(event:payload:shard:)`` only enqueues. A full queue
/// drops the new event for that cog, counted and logged.
///
/// ```swift
/// delivery.deliver(event: "GUILD_MEMBER_ADD", payload: dispatch.payload, shard: dispatch.shardID)
/// ```
///
/// As a ``Service`` it runs the lanes' workers; a graceful shutdown ends them after the event
/// each is delivering, and drops what is still queued (counted).
public final class CogEventDelivery: Service {
    /// Lanes per cog: events of different guilds run side by side up to this many at a time.
    static let lanesPerCog = 4

    private let table: RoutingTable
    private let switchboard: GuildSwitchboard
    /// Whether the session reads content, which then must be hidden from cogs that did not declare it.
    private let sessionIntents: SessionIntents
    private let calls: CallRegistry
    /// Where the cogs' work points; an event opens its channel and user to the cogs it reaches.
    private let reach: CogReach
    private let timeout: Duration
    private let queueLimit: Int
    private let logger: Logger
    private let state = Mutex(State())
    private let wakeups: AsyncStream<Lane>
    private let wakeup: AsyncStream<Lane>.Continuation

    /// One cog's lane.
    struct Lane: Hashable, Sendable {
        let cog: String
        let index: Int
    }

    private struct QueuedEvent: Sendable {
        let name: String
        let payload: [UInt8]
        let facts: EventRequestFacts
    }

    private struct State {
        var lanes: [Lane: FIFO<QueuedEvent>] = [:]
        var running: Set<Lane> = []
        var queuedByCog: [String: Int] = [:]
        var closed = false
        /// Guilds the bot is in, to tell a guild it joined from one becoming available.
        var knownGuilds: Set<UInt64> = []
        /// Whether this process saw READY; a process that resumed a saved session did not, and
        /// knows its guilds only by each GUILD_CREATE's `joined_at`.
        var sawReady = false
        var botUserID: UInt64 = 0
        var lastComplaint: [String: ContinuousClock.Instant] = [:]
        var suppressedComplaints: [String: Int] = [:]
        /// Callers of ``settled()`` waiting for every lane to be idle.
        var settleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// - Parameters:
    ///   - queueLimit: Events queued for one cog at most; more are dropped and counted.
    ///   - timeout: How long one event may take before the next one is sent.
    init(table: RoutingTable, switchboard: GuildSwitchboard, sessionIntents: SessionIntents, calls: CallRegistry, reach: CogReach,
         queueLimit: Int, timeout: Duration, logger: Logger) {
        self.table = table
        self.reach = reach
        self.switchboard = switchboard
        self.sessionIntents = sessionIntents
        self.calls = calls
        self.queueLimit = max(1, queueLimit)
        self.timeout = timeout
        self.logger = logger
        (wakeups, wakeup) = AsyncStream.makeStream(of: Lane.self)
    }

    /// The bot's own user, whose messages and reactions reach only cogs that ask for them.
    public func recognise(botUser id: UInt64) {
        state.withLock { $0.botUserID = id }
    }

    /// Queues one dispatch for every cog listening to it. Returns at once.
    ///
    /// - Parameters:
    ///   - event: The dispatch name (`t`).
    ///   - payload: The dispatch's `d`, as received.
    ///   - shard: The shard it arrived on.
    public func deliver(event: String, payload: ArraySlice<UInt8>, shard: Int) {
        let tracksGuilds = Self.guildEvents.contains(event)
        let listeners = table.listeners(of: event)
        guard !listeners.isEmpty || tracksGuilds else { return }
        let payload = Array(payload)
        let facts = (try? payload.withUnsafeBytes { try EventFacts(scanning: $0, event: event, shard: UInt32(clamping: shard)) })
            ?? EventFacts(shard: UInt32(clamping: shard))
        let flags = tracksGuilds ? trackGuilds(event: event, payload: payload, facts: facts) : 0
        guard !listeners.isEmpty else { return }
        let botUser = state.withLock { $0.botUserID }
        let causedByBot = botUser != 0 && facts.user == botUser && Self.ownEvents.contains(event)
        let queued = QueuedEvent(name: event, payload: payload, facts: EventRequestFacts(facts: facts, flags: flags))
        // Made once, for the cogs that did not declare MESSAGE_CONTENT, if any listens.
        var withoutContent: QueuedEvent?
        for (cog, ownMessages, readsContent) in listeners {
            if causedByBot, !ownMessages { continue }
            if facts.guild != 0, switchboard.isDisabled(cog: cog, in: facts.guild) { continue }
            reach.touched(channel: facts.channel == 0 ? nil : facts.channel, user: facts.user == 0 ? nil : facts.user, cog: cog)
            // Without MESSAGE_CONTENT in the session, Discord already sent it empty.
            guard !readsContent, MessageContentRedaction.events.contains(event),
                  sessionIntents.intents?.contains(.messageContent) ?? true else {
                enqueue(queued, for: cog)
                continue
            }
            if withoutContent == nil {
                withoutContent = QueuedEvent(name: event, payload: MessageContentRedaction.redacting(payload, botUser: botUser),
                                             facts: queued.facts)
            }
            enqueue(withoutContent ?? queued, for: cog)
        }
    }

    /// The dispatches that tell which guilds the bot is in.
    private static let guildEvents: Set<String> = ["READY", "GUILD_CREATE", "GUILD_DELETE"]

    /// The events the bot causes itself, delivered only to cogs that set `own_messages`.
    private static let ownEvents: Set<String> = ["MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_REACTION_ADD", "MESSAGE_REACTION_REMOVE"]

    private func enqueue(_ event: QueuedEvent, for cog: String) {
        let lane = Lane(cog: cog, index: Int(event.facts.facts.guild % UInt64(Self.lanesPerCog)))
        let outcome: (start: Bool, accepted: Bool) = state.withLock { state in
            guard !state.closed, state.queuedByCog[cog, default: 0] < queueLimit else { return (false, false) }
            state.queuedByCog[cog, default: 0] += 1
            state.lanes[lane, default: FIFO()].push(event)
            return (state.running.insert(lane).inserted, true)
        }
        if outcome.start { wakeup.yield(lane) }
        guard outcome.accepted else {
            Self.dropped[CogEvent(cog: cog, event: event.name)].increment()
            complain(cog: cog, "events dropped: the cog's queue is full (\(queueLimit) events)", metadata: ["event": "\(event.name)"])
            return
        }
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await lane in wakeups {
                    group.addTask { await self.work(lane) }
                }
            }
        } onGracefulShutdown: {
            let dropped = self.state.withLock { state in
                state.closed = true
                defer { state.lanes.removeAll() }
                return state.lanes.values.reduce(0) { $0 + $1.count }
            }
            for waiter in self.state.withLock({ state in defer { state.settleWaiters = [] }; return state.settleWaiters }) {
                waiter.resume()
            }
            if dropped > 0 { self.logger.warning("events still queued for cogs at shutdown were dropped", metadata: ["events": "\(dropped)"]) }
            self.wakeup.finish()
        }
    }

    /// Returns once no event is queued or being delivered (at once after shutdown began). Under a
    /// stream that never pauses it waits for the pause: it is for test harnesses.
    public func settled() async {
        await withCheckedContinuation { continuation in
            let idle = state.withLock { state in
                guard !state.running.isEmpty, !state.closed else { return true }
                state.settleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// Delivers a lane's events one after another until it is empty.
    private func work(_ lane: Lane) async {
        while let event = next(in: lane) {
            await deliverNow(event, to: lane.cog)
        }
    }

    private func next(in lane: Lane) -> QueuedEvent? {
        let (event, settled) = state.withLock { state -> (QueuedEvent?, [CheckedContinuation<Void, Never>]) in
            guard let event = state.lanes[lane]?.pop() else {
                state.lanes[lane] = nil
                state.running.remove(lane)
                guard state.running.isEmpty else { return (nil, []) }
                defer { state.settleWaiters = [] }
                return (nil, state.settleWaiters)
            }
            state.queuedByCog[lane.cog, default: 1] -= 1
            return (event, [])
        }
        for waiter in settled { waiter.resume() }
        return event
    }

    private enum Outcome {
        case done, failed(String), notListening
    }

    private func deliverNow(_ event: QueuedEvent, to cog: String) async {
        // A guild's manager may have turned the cog off while the event waited in its queue.
        if event.facts.facts.guild != 0, switchboard.isDisabled(cog: cog, in: event.facts.facts.guild) { return }
        let outcome = await table.withGeneration(cog: cog) { generation -> Outcome in
            // A reload may have dropped the listener since the event was queued.
            guard generation.events.contains(event.name) else { return .notListening }
            return await generation.call(in: calls, kind: COG_REQUEST_EVENT, route: event.name, payload: event.payload,
                                         event: event.facts, timeout: timeout, autoDeferAfter: nil) { call in
                while true {
                    switch await call.next() {
                    case .deferRequested:
                        continue
                    case .completed(let status, let bytes):
                        guard status == Int32(COG_OK.rawValue) else {
                            return .failed("status \(status): \(String(decoding: bytes.prefix(500), as: UTF8.self))")
                        }
                        if case .error(_, let detail) = ResponseDocument(answer: bytes) { return .failed(detail) }
                        return .done
                    case .timedOut:
                        return .failed("no answer within \(timeout)")
                    }
                }
            }
        } ?? .notListening
        switch outcome {
        case .done:
            Self.delivered[CogEvent(cog: cog, event: event.name)].increment()
        case .failed(let detail):
            Self.failed[CogEvent(cog: cog, event: event.name)].increment()
            complain(cog: cog, "an event listener failed", metadata: ["event": "\(event.name)", "detail": "\(detail)"])
        case .notListening:
            break
        }
    }

    /// Follows the guilds the bot is in and flags a GUILD_CREATE for one it just joined.
    private func trackGuilds(event: String, payload: [UInt8], facts: EventFacts) -> UInt32 {
        switch event {
        case "READY":
            let guilds = ReadyGuilds.ids(in: payload)
            state.withLock { state in
                state.knownGuilds.formUnion(guilds)
                state.sawReady = true
            }
            return 0
        case "GUILD_CREATE":
            let (unknown, sawReady) = state.withLock { ($0.knownGuilds.insert(facts.guild).inserted, $0.sawReady) }
            // After a resume in a new process every guild is unknown; only a recent join is one.
            let joined = unknown && (sawReady || ReadyGuilds.joinedRecently(payload, now: Date()))
            return joined ? COG_EVENT_GUILD_JOINED.rawValue : 0
        case "GUILD_DELETE":
            // An outage keeps the guild (`unavailable: true`); a removal forgets it.
            if !ReadyGuilds.isOutage(payload) { _ = state.withLock { $0.knownGuilds.remove(facts.guild) } }
            return 0
        default:
            return 0
        }
    }

    /// Logs a cog's trouble at most once a minute per cog and kind, saying how many were not logged.
    private func complain(cog: String, _ message: Logger.Message, metadata: Logger.Metadata) {
        let key = "\(cog) \(message)"
        let now = ContinuousClock.now
        let suppressed: Int? = state.withLock { state in
            if let last = state.lastComplaint[key], now - last < .seconds(60) {
                state.suppressedComplaints[key, default: 0] += 1
                return nil
            }
            state.lastComplaint[key] = now
            return state.suppressedComplaints.removeValue(forKey: key) ?? 0
        }
        guard let suppressed else { return }
        var metadata = metadata
        metadata["cog"] = "\(cog)"
        if suppressed > 0 { metadata["not_logged_since_last"] = "\(suppressed)" }
        logger.warning(message, metadata: metadata)
    }

    private struct CogEvent: Hashable, Sendable {
        let cog: String
        let event: String
    }

    private static let delivered = MetricHandles<CogEvent, Counter> {
        Counter(label: "cogwheel_cog_events_total", dimensions: [("cog", $0.cog), ("event", $0.event)])
    }
    private static let failed = MetricHandles<CogEvent, Counter> {
        Counter(label: "cogwheel_cog_event_failures_total", dimensions: [("cog", $0.cog), ("event", $0.event)])
    }
    private static let dropped = MetricHandles<CogEvent, Counter> {
        Counter(label: "cogwheel_cog_events_dropped_total", dimensions: [("cog", $0.cog), ("event", $0.event)])
    }
}

/// A first-in first-out queue whose pops cost no copying.
struct FIFO<Element> {
    private var items: [Element] = []
    private var head = 0

    var count: Int { items.count - head }

    mutating func push(_ item: Element) {
        items.append(item)
    }

    mutating func pop() -> Element? {
        guard head < items.count else { return nil }
        let item = items[head]
        head += 1
        if head > 32, head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return item
    }
}

/// What the host reads from READY and GUILD_DELETE to follow the bot's guilds.
enum ReadyGuilds {
    /// The ids in READY's `guilds`.
    static func ids(in payload: [UInt8]) -> [UInt64] {
        var ids: [UInt64] = []
        _ = try? JSONScanner.scan(payload) { scanner in
            try scanner.readObject { scanner, key in
                guard key == "guilds" else {
                    try scanner.skipValue()
                    return
                }
                try scanner.readArray { scanner, _ in
                    try scanner.readObject { scanner, key in
                        if key == "id", let id = try scanner.readSnowflake() { ids.append(id) } else { try scanner.skipValue() }
                    }
                }
            }
        }
        return ids
    }

    /// Whether a GUILD_CREATE's `joined_at` (the bot's joining) is within the last two minutes.
    static func joinedRecently(_ payload: [UInt8], now: Date) -> Bool {
        var joinedAt: String?
        _ = try? JSONScanner.scan(payload) { scanner in
            try scanner.readObject { scanner, key in
                if key == "joined_at" { joinedAt = try scanner.readOptionalString() } else { try scanner.skipValue() }
            }
        }
        // Discord writes `2026-12-07T10:00:00.123456+00:00`; the seconds are all this needs.
        guard let joinedAt, joinedAt.count >= 19,
              let date = ISO8601DateFormatter().date(from: String(joinedAt.prefix(19)) + "Z") else { return false }
        return abs(now.timeIntervalSince(date)) < 120
    }

    /// Whether a GUILD_DELETE says the guild is only unavailable.
    static func isOutage(_ payload: [UInt8]) -> Bool {
        var unavailable = false
        _ = try? JSONScanner.scan(payload) { scanner in
            try scanner.readObject { scanner, key in
                if key == "unavailable" { unavailable = try scanner.readBool() ?? false } else { try scanner.skipValue() }
            }
        }
        return unavailable
    }
}
