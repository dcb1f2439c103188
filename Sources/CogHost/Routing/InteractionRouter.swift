import CCogABI
import DiscordModels
import Logging
import Storage
import Synchronization

/// Routes each interaction to the generation serving it and sends the answer.
///
/// The hot path reads only the routing facts from the raw payload; the cog receives the raw
/// bytes and decodes what it needs. Built-in host commands are answered here without a cog.
public final class InteractionRouter: Sendable {
    private let table: RoutingTable
    private let cooldowns: CooldownBook
    private let hostCommands: HostCommands
    private let switchboard: GuildSwitchboard
    private let activity: ActivityCounters
    private let calls: CallRegistry
    private let handlerTimeout: Duration
    private let autoDeferAfter: Duration?
    private let logger: Logger
    /// How many interactions are served at once; the gateway loop asks it before making a task.
    public let admission: InteractionAdmission
    /// When the router was made; interactions are timed from it.
    private let epoch = ContinuousClock.now
    /// Seconds from ``epoch`` to the last interaction, plus one (0 before the first).
    private let lastInteraction = Atomic<Int64>(0)

    init(
        table: RoutingTable, cooldowns: CooldownBook, hostCommands: HostCommands, switchboard: GuildSwitchboard,
        activity: ActivityCounters, calls: CallRegistry, handlerTimeout: Duration, autoDeferAfter: Duration?,
        admission: InteractionAdmission.Limits, logger: Logger
    ) {
        self.admission = InteractionAdmission(limits: admission)
        self.activity = activity
        self.calls = calls
        self.switchboard = switchboard
        self.table = table
        self.cooldowns = cooldowns
        self.hostCommands = hostCommands
        self.handlerTimeout = handlerTimeout
        self.autoDeferAfter = autoDeferAfter
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
        switch RouteResolver.destination(of: facts, hostCommands: HostCommands.names) {
        case .pong:
            await responder.respondOrLog(.pong, to: facts, logger: logger)
            return .pong
        case .hostCommand:
            return await hostCommands.run(facts, payload: payload, responder: responder)
        case .command(let name, let route, let kind):
            let outcome = await table.withGeneration(command: name) { generation in
                await call(generation, kind: kind, route: route, facts: facts, payload: payload, responder: responder)
            }
            if let outcome { return outcome }
            return await unavailable("/\(name)", facts: facts, responder: responder)
        case .component(let cog, let route, let kind):
            let outcome = await table.withGeneration(cog: cog) { generation in
                await call(generation, kind: kind, route: route, facts: facts, payload: payload, responder: responder)
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

    /// Calls `generation` (counted in flight by the caller's scope) and sends its answer.
    private func call(
        _ generation: Generation, kind: cog_request_kind, route: String, facts: InteractionRoutingFacts,
        payload: [UInt8], responder: some InteractionResponder
    ) async -> InteractionOutcome {
        let cog = generation.image.name
        if let guild = facts.guildID, switchboard.blocking(cog: cog, command: facts.commandName ?? "", in: guild) != nil {
            // Buttons, forms and suggestions too: a cog turned off in a guild does nothing there.
            let answer: InteractionCallback = kind == COG_REQUEST_AUTOCOMPLETE
                ? .suggestions(Array("[]".utf8)) : .message(HostMessage.ephemeral(HostMessage.turnedOff))
            await responder.respondOrLog(answer, to: facts, logger: logger)
            return .disabled(cog: cog, route: route)
        }
        if kind == COG_REQUEST_COMMAND, let rule = generation.cooldowns[route],
           let retryAfter = cooldowns.take(rule, cog: cog, route: route, facts: facts) {
            await responder.respondOrLog(.message(HostMessage.ephemeral(HostMessage.cooldown(retryAfter))), to: facts, logger: logger)
            return .onCooldown(cog: cog, route: route, retryAfter: retryAfter)
        }
        return await generation.call(in: calls, kind: kind, route: route, payload: payload, timeout: handlerTimeout,
                                     autoDeferAfter: autoDeferAfter) { (call: inout CallInFlight) in
            var deferred = false
            while true {
                switch await call.next() {
                case .deferRequested(let ephemeral, let automatic):
                    guard let deferral = ReplyPlanner.deferral(kind: kind, alreadyDeferred: deferred, ephemeral: ephemeral) else {
                        continue
                    }
                    deferred = true
                    if automatic { logger.debug("deferred a slow answer", metadata: ["cog": "\(cog)", "route": "\(route)"]) }
                    await responder.respondOrLog(deferral, to: facts, logger: logger)
                case .completed(let status, let bytes):
                    let plan = ReplyPlanner.plan(cog: cog, kind: kind, interactionType: facts.type, deferred: deferred,
                                                 status: status, bytes: bytes)
                    await send(plan.step, for: facts, via: responder)
                    guard let failure = plan.failure else { return .answered(cog: cog, route: route) }
                    log(failure, kind: kind, cog: cog, route: route)
                    return .failed(cog: cog, route: route, detail: failure.detail)
                case .timedOut:
                    logger.error("cog did not answer in time", metadata: ["cog": "\(cog)", "route": "\(route)"])
                    if let step = ReplyPlanner.timeout(kind: kind, deferred: deferred) { await send(step, for: facts, via: responder) }
                    return .timedOut(cog: cog, route: route)
                }
            }
        }
    }

    /// A message for the player means the cog refused the input; anything else is a failure.
    private func log(_ failure: ReplyPlan.Failure, kind: cog_request_kind, cog: String, route: String) {
        let metadata: Logger.Metadata = ["cog": "\(cog)", "route": "\(route)", "detail": "\(failure.detail)"]
        if kind == COG_REQUEST_AUTOCOMPLETE {
            logger.warning("autocomplete failed", metadata: metadata)
        } else {
            logger.log(level: failure.playerMessage == nil ? .error : .notice, "command failed", metadata: metadata)
        }
    }

    private func send(_ step: ReplyStep, for facts: InteractionRoutingFacts, via responder: some InteractionResponder) async {
        switch step {
        case .respond(let callback):
            await responder.respondOrLog(callback, to: facts, logger: logger)
        case .editOriginal(let message):
            do {
                try await responder.editOriginalResponse(of: facts, with: message)
            } catch {
                logger.error("could not edit the deferred response", metadata: ["interaction": "\(facts.id)", "error": "\(error)"])
            }
        }
    }
}
