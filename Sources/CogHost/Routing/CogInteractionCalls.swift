import CCogABI
import DiscordModels
import Logging

/// Takes one interaction through a cog: the guild's switches, the cooldown, the call with its
/// deferrals and deadline, and the answer the ``ReplyPlanner`` makes of what the cog returned.
final class CogInteractionCalls: Sendable {
    private let cooldowns: CooldownBook
    private let switchboard: GuildSwitchboard
    private let registry: CallRegistry
    private let handlerTimeout: Duration
    private let autoDeferAfter: Duration?
    /// Where the cogs' work points; an interaction opens its channels to the cog it reaches.
    private let reach: CogReach
    /// What the cogs may ping in their answers.
    private let denials: CapabilityDenials
    private let logger: Logger

    init(
        cooldowns: CooldownBook, switchboard: GuildSwitchboard, registry: CallRegistry, handlerTimeout: Duration,
        autoDeferAfter: Duration?, reach: CogReach, denials: CapabilityDenials, logger: Logger
    ) {
        self.reach = reach
        self.denials = denials
        self.cooldowns = cooldowns
        self.switchboard = switchboard
        self.registry = registry
        self.handlerTimeout = handlerTimeout
        self.autoDeferAfter = autoDeferAfter
        self.logger = logger
    }

    /// Calls `generation` (counted in flight by the routing table's scope) and sends its answer.
    func serve(
        _ interaction: RoutedInteraction, on generation: Generation, responder: some InteractionResponder
    ) async -> InteractionOutcome {
        let (facts, kind, route) = (interaction.facts, interaction.kind, interaction.route)
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
        reach.interaction(facts.id, applicationID: facts.applicationID, token: facts.token,
                          channels: (facts.channelID.map { [$0] } ?? []) + facts.resolvedChannels, user: facts.userID, cog: cog)
        let capabilities = denials.granted(declared: generation.image.manifest.capabilities, to: cog)
        return await generation.call(in: registry, kind: kind, route: route, payload: interaction.payload,
                                     timeout: handlerTimeout, autoDeferAfter: autoDeferAfter) { (call: inout CallInFlight) in
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
                                                 status: status, bytes: bytes, capabilities: capabilities)
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

extension Generation: InteractionServer {
    var serverName: String { image.name }

    func enter() {
        inFlight.enter()
    }

    func serve(
        _ interaction: RoutedInteraction, through calls: CogInteractionCalls, responder: some InteractionResponder
    ) async -> InteractionOutcome {
        await calls.serve(interaction, on: self, responder: responder)
    }
}
