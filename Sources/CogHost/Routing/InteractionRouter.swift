import CCogABI
import DiscordModels
import Logging
import Synchronization

/// Routes each interaction to whoever the routing table says serves it (a cog's generation,
/// or the host's own commands) and records what came of it.
///
/// The hot path reads only the routing facts from the raw payload; the server receives the raw
/// bytes and decodes what it needs.
public final class InteractionRouter: Sendable {
    private let table: RoutingTable
    private let calls: CogInteractionCalls
    private let activity: ActivityCounters
    private let logger: Logger
    /// How many interactions are served at once; the gateway loop asks it before making a task.
    public let admission: InteractionAdmission
    /// When the router was made; interactions are timed from it.
    private let epoch = ContinuousClock.now
    /// Seconds from ``epoch`` to the last interaction, plus one (0 before the first).
    private let lastInteraction = Atomic<Int64>(0)

    init(
        table: RoutingTable, calls: CogInteractionCalls, activity: ActivityCounters, admission: InteractionAdmission.Limits,
        logger: Logger
    ) {
        self.admission = InteractionAdmission(limits: admission)
        self.table = table
        self.calls = calls
        self.activity = activity
        self.logger = logger
    }

    /// Handles one interaction object (the `d` of INTERACTION_CREATE).
    @discardableResult
    public func handle(interaction payload: [UInt8], responder: some InteractionResponder) async -> InteractionOutcome {
        let facts: InteractionRoutingFacts
        do {
            facts = try payload.withUnsafeBytes { try InteractionRoutingFacts(interaction: $0) }
        } catch {
            logger.warning("dropped an unreadable interaction", metadata: ["error": "\(error)"])
            return .malformed("\(error)")
        }
        return await handle(interaction: payload, facts: facts, responder: responder)
    }

    /// Tells the player the bot is too busy to take the interaction now (autocomplete gets no
    /// suggestions), without reaching a cog.
    @discardableResult
    public func answerBusy(interaction payload: [UInt8], responder: some InteractionResponder) async -> InteractionOutcome {
        guard let facts = try? payload.withUnsafeBytes({ try InteractionRoutingFacts(interaction: $0) }) else {
            return .malformed("unreadable while busy")
        }
        let answer: InteractionCallback = facts.type == InteractionType.applicationCommandAutocomplete.rawValue
            ? .suggestions(Array("[]".utf8)) : .message(HostMessage.ephemeral(HostMessage.busy))
        await responder.respondOrLog(answer, to: facts, logger: logger)
        CommandMetrics.record(.busy, command: facts.commandPath.isEmpty ? "(component)" : facts.commandPath, duration: .zero)
        return .busy
    }

    /// Seconds since the last interaction, or `nil` before the first: the database does its
    /// heavy upkeep (VACUUM) only when players are away.
    public var secondsSinceLastInteraction: Int64? {
        let last = lastInteraction.load(ordering: .relaxed)
        return last == 0 ? nil : (ContinuousClock.now - epoch).components.seconds + 1 - last
    }

    /// Handles one interaction whose routing facts the caller has already read from `payload`.
    @discardableResult
    public func handle(
        interaction payload: [UInt8], facts: InteractionRoutingFacts, responder: some InteractionResponder
    ) async -> InteractionOutcome {
        let started = ContinuousClock.now
        lastInteraction.store((started - epoch).components.seconds + 1, ordering: .relaxed)
        let outcome = await route(facts, payload: payload, responder: responder)
        if case .answered(_, let route) = outcome, let guild = facts.guildID,
           facts.type == InteractionType.applicationCommand.rawValue {
            activity.record(guild: guild, command: "/\(route)", user: facts.userID ?? 0)
        }
        if outcome != .pong {
            CommandMetrics.record(outcome, command: facts.commandPath.isEmpty ? "(component)" : facts.commandPath,
                                  duration: ContinuousClock.now - started)
        }
        if logger.logLevel <= .info, outcome != .pong {
            logger.info("interaction", metadata: [
                "command": "\(facts.commandPath.isEmpty ? (facts.customID ?? "") : facts.commandPath)",
                "guild": "\(facts.guildID.map(String.init) ?? "dm")", "user": "\(facts.userID ?? 0)",
                "duration_ms": "\((ContinuousClock.now - started).milliseconds)", "outcome": "\(outcome.label)",
            ])
        }
        return outcome
    }

    private func route(
        _ facts: InteractionRoutingFacts, payload: [UInt8], responder: some InteractionResponder
    ) async -> InteractionOutcome {
        switch RouteResolver.destination(of: facts) {
        case .pong:
            await responder.respondOrLog(.pong, to: facts, logger: logger)
            return .pong
        case .command(let name, let route, let kind):
            let interaction = RoutedInteraction(facts: facts, payload: payload, kind: kind, route: route)
            let outcome = await table.withServer(command: name) { server in
                await server.serve(interaction, through: calls, responder: responder)
            }
            if let outcome { return outcome }
            return await unavailable("/\(name)", facts: facts, responder: responder)
        case .component(let cog, let route, let kind):
            let interaction = RoutedInteraction(facts: facts, payload: payload, kind: kind, route: route)
            let outcome = await table.withGeneration(cog: cog) { generation in
                await generation.serve(interaction, through: calls, responder: responder)
            }
            if let outcome { return outcome }
            return await unavailable(facts.customID ?? "", facts: facts, responder: responder)
        case .unavailable(let what):
            return await unavailable(what, facts: facts, responder: responder)
        case .unknownType(let type):
            logger.debug("ignored an interaction of unknown type", metadata: ["type": "\(type)"])
            return .unavailable("type \(type)")
        }
    }

    private func unavailable(
        _ what: String, facts: InteractionRoutingFacts, responder: some InteractionResponder
    ) async -> InteractionOutcome {
        await responder.respondOrLog(.message(HostMessage.ephemeral(HostMessage.unavailable)), to: facts, logger: logger)
        return .unavailable(what)
    }
}
