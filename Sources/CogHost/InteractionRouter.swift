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
    private let handlerTimeout: Duration
    private let autoDeferAfter: Duration?
    private let logger: Logger
    /// When the router was made; interactions are timed from it.
    private let epoch = ContinuousClock.now
    /// Seconds from ``epoch`` to the last interaction, plus one (0 before the first).
    private let lastInteraction = Atomic<Int64>(0)

    init(
        table: RoutingTable, cooldowns: CooldownBook, hostCommands: HostCommands, switchboard: GuildSwitchboard,
        activity: ActivityCounters, handlerTimeout: Duration, autoDeferAfter: Duration?, logger: Logger
    ) {
        self.activity = activity
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
        if case .answered(let cog, let route) = outcome, let guild = facts.guildID,
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
        switch InteractionType(rawValue: facts.type) {
        case .ping:
            await responder.respondOrLog(.pong, to: facts, logger: logger)
            return .pong
        case .applicationCommand, .applicationCommandAutocomplete:
            let name = facts.commandName ?? ""
            if hostCommands.handles(name) {
                return await hostCommands.run(facts, payload: payload, responder: responder)
            }
            guard let generation = table.acquire(command: name) else {
                await responder.respondOrLog(.message(HostMessage.ephemeral(HostMessage.unavailable)), to: facts, logger: logger)
                return .unavailable("/\(name)")
            }
            let kind = facts.type == InteractionType.applicationCommand.rawValue ? COG_REQUEST_COMMAND : COG_REQUEST_AUTOCOMPLETE
            return await call(generation, kind: kind, route: facts.commandPath, facts: facts, payload: payload,
                              responder: responder)
        case .messageComponent, .modalSubmit:
            let customID = facts.customID ?? ""
            let parts = customID.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let generation = table.acquire(cog: String(parts[0])) else {
                await responder.respondOrLog(.message(HostMessage.ephemeral(HostMessage.unavailable)), to: facts, logger: logger)
                return .unavailable(customID)
            }
            let kind = facts.type == InteractionType.modalSubmit.rawValue ? COG_REQUEST_MODAL : COG_REQUEST_COMPONENT
            return await call(generation, kind: kind, route: String(parts[1]), facts: facts, payload: payload,
                              responder: responder)
        case nil:
            logger.debug("ignored an interaction of unknown type", metadata: ["type": "\(facts.type)"])
            return .unavailable("type \(facts.type)")
        }
    }

    /// Calls `generation` (already counted in flight) and sends its answer.
    private func call(
        _ generation: Generation, kind: cog_request_kind, route: String, facts: InteractionRoutingFacts,
        payload: [UInt8], responder: some InteractionResponder
    ) async -> InteractionOutcome {
        let cog = generation.image.name
        if let guild = facts.guildID, switchboard.blocking(cog: cog, command: facts.commandName ?? "", in: guild) != nil {
            generation.finishCall()
            if kind != COG_REQUEST_AUTOCOMPLETE {
                await responder.respondOrLog(.message(HostMessage.ephemeral(HostMessage.turnedOff)), to: facts, logger: logger)
            }
            return .disabled(cog: cog, route: route)
        }
        if kind == COG_REQUEST_COMMAND, let rule = generation.cooldowns[route],
           let retryAfter = cooldowns.take(rule, cog: cog, route: route, facts: facts) {
            generation.finishCall()
            await responder.respondOrLog(.message(HostMessage.ephemeral(HostMessage.cooldown(retryAfter))), to: facts, logger: logger)
            return .onCooldown(cog: cog, route: route, retryAfter: retryAfter)
        }
        let mailboxes = CallMailboxes.shared
        let requestID = mailboxes.open(timeout: handlerTimeout, autoDeferAfter: autoDeferAfter)
        defer { mailboxes.close(requestID) }
        payload.withUnsafeBytes { generation.startCall(requestID: requestID, kind: kind, route: route, payload: $0) }

        var deferred = false
        while true {
            switch await mailboxes.next(requestID) {
            case .deferRequested(let ephemeral, let automatic):
                // Discord has no deferral for autocomplete: suggestions come within 3 s or not at all.
                guard !deferred, kind != COG_REQUEST_AUTOCOMPLETE else { continue }
                deferred = true
                if automatic { logger.debug("deferred a slow answer", metadata: ["cog": "\(cog)", "route": "\(route)"]) }
                await responder.respondOrLog(.deferred(ephemeral: ephemeral), to: facts, logger: logger)
            case .completed(let status, let bytes):
                generation.finishCall()
                if kind == COG_REQUEST_AUTOCOMPLETE {
                    return await suggest(status: status, bytes: bytes, cog: cog, route: route, facts: facts, responder: responder)
                }
                return await deliver(status: status, bytes: bytes, cog: cog, route: route, facts: facts,
                                     deferred: deferred, responder: responder)
            case .timedOut:
                generation.finishCall()
                logger.error("cog did not answer in time", metadata: ["cog": "\(cog)", "route": "\(route)"])
                if kind == COG_REQUEST_AUTOCOMPLETE { return .timedOut(cog: cog, route: route) }
                await answer(HostMessage.ephemeral(HostMessage.timedOut), for: facts, deferred: deferred, via: responder)
                return .timedOut(cog: cog, route: route)
            }
        }
    }

    private func deliver(
        status: Int32, bytes: [UInt8], cog: String, route: String, facts: InteractionRoutingFacts, deferred: Bool,
        responder: some InteractionResponder
    ) async -> InteractionOutcome {
        let document: ResponseDocument = status == Int32(COG_OK.rawValue)
            ? ResponseDocument(parsing: bytes)
            : .error(message: nil, detail: "status \(status): \(String(decoding: bytes.prefix(500), as: UTF8.self))")
        let playerMessage: String?
        let detail: String
        switch document {
        case .message(let data):
            await answer(data, for: facts, deferred: deferred, via: responder)
            return .answered(cog: cog, route: route)
        case .update(let data) where facts.type == InteractionType.messageComponent.rawValue:
            if deferred {
                await answer(data, for: facts, deferred: true, via: responder)
            } else {
                await responder.respondOrLog(InteractionCallback(type: .updateMessage, data: data), to: facts, logger: logger)
            }
            return .answered(cog: cog, route: route)
        case .modal(let data) where !deferred && facts.type != InteractionType.modalSubmit.rawValue:
            await responder.respondOrLog(InteractionCallback(type: .modal, data: data), to: facts, logger: logger)
            return .answered(cog: cog, route: route)
        case .update:
            (playerMessage, detail) = (nil, "answered with an update, which only a component's answer can be")
        case .modal:
            (playerMessage, detail) = (nil, deferred ? "opened a modal after deferring; a modal must be the first answer"
                                                     : "opened a modal from a modal submit")
        case .done:
            (playerMessage, detail) = (nil, "answered an interaction as if it were a job")
        case .choices:
            (playerMessage, detail) = (nil, "answered a command with autocomplete suggestions")
        case .error(let message, let reason):
            (playerMessage, detail) = (message, reason)
        }
        // A message for the player means the cog refused the input; anything else is a failure.
        logger.log(level: playerMessage == nil ? .error : .notice, "command failed",
                   metadata: ["cog": "\(cog)", "route": "\(route)", "detail": "\(detail)"])
        await answer(HostMessage.ephemeral(playerMessage ?? HostMessage.failed), for: facts, deferred: deferred, via: responder)
        return .failed(cog: cog, route: route, detail: detail)
    }

    /// Answers an autocomplete request with the cog's suggestions; any failure suggests nothing,
    /// since the player can keep typing and no message can be shown.
    private func suggest(
        status: Int32, bytes: [UInt8], cog: String, route: String, facts: InteractionRoutingFacts,
        responder: some InteractionResponder
    ) async -> InteractionOutcome {
        if status == Int32(COG_OK.rawValue), case .choices(let choices) = ResponseDocument(parsing: bytes) {
            await responder.respondOrLog(.suggestions(choices), to: facts, logger: logger)
            return .answered(cog: cog, route: route)
        }
        let detail = "autocomplete: \(String(decoding: bytes.prefix(500), as: UTF8.self))"
        logger.warning("autocomplete failed", metadata: ["cog": "\(cog)", "route": "\(route)", "detail": "\(detail)"])
        await responder.respondOrLog(.suggestions(Array("[]".utf8)), to: facts, logger: logger)
        return .failed(cog: cog, route: route, detail: detail)
    }

    /// Sends `message` as the first response, or as an edit when the interaction was deferred.
    private func answer(
        _ message: [UInt8], for facts: InteractionRoutingFacts, deferred: Bool, via responder: some InteractionResponder
    ) async {
        if deferred {
            do {
                try await responder.editOriginalResponse(of: facts, with: message)
            } catch {
                logger.error("could not edit the deferred response", metadata: ["interaction": "\(facts.id)", "error": "\(error)"])
            }
        } else {
            await responder.respondOrLog(.message(message), to: facts, logger: logger)
        }
    }
}
