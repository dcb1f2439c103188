import CCogABI
import CogWire
import DiscordModels

/// One thing the router sends for an interaction.
enum ReplyStep: Equatable {
    /// The first response (Discord's callback endpoint).
    case respond(InteractionCallback)
    /// Replaces the original response, after a deferral.
    case editOriginal([UInt8])
}

/// What to send for a cog's answer, and how the interaction ended.
struct ReplyPlan: Equatable {
    /// Why the cog's answer was not what it should have been.
    struct Failure: Equatable {
        /// The cog's own words for the player, when it refused the input; `nil` for a failure.
        var playerMessage: String?
        /// What the logs say.
        var detail: String
    }

    var step: ReplyStep
    /// `nil` when the cog answered as it should.
    var failure: Failure?
}

/// Turns a cog's answer into what the host sends, by Discord's rules for the interaction's
/// kind and whether it was deferred. Pure, so each rule has a table test.
///
/// - An update (callback 7) only answers a component; after a deferral it edits the original.
/// - A modal only comes first, and never answers a modal submit.
/// - Autocomplete answers with choices or, on any failure, with none (the player keeps typing).
/// - A failure shows the cog's message for the player, or an apology, as an ephemeral message
///   (an edit once deferred).
/// - A message, update or modal that breaks Discord's limits, or carries a custom_id not
///   prefixed with the cog's name (``MessageLimits``), is a failure.
enum ReplyPlanner {
    /// The answer to a completed call: `status` and `bytes` are what the cog returned;
    /// `capabilities` say what its messages may ping (``OutgoingMessage``).
    static func plan(
        cog: String, kind: cog_request_kind, interactionType: Int, deferred: Bool, status: Int32, bytes: [UInt8],
        capabilities: Set<CogCapability> = []
    ) -> ReplyPlan {
        var document: ResponseDocument = status == Int32(COG_OK.rawValue)
            ? ResponseDocument(answer: bytes)
            : .error(message: nil, detail: "status \(status): \(String(decoding: bytes.prefix(500), as: UTF8.self))")
        if kind == COG_REQUEST_AUTOCOMPLETE {
            if case .choices(let choices) = document { return ReplyPlan(step: .respond(.suggestions(choices)), failure: nil) }
            return ReplyPlan(step: .respond(.suggestions(Array("[]".utf8))),
                             failure: .init(playerMessage: nil, detail: "autocomplete: \(String(decoding: bytes.prefix(500), as: UTF8.self))"))
        }
        switch document {
        case .message(let data), .update(let data), .modal(let data):
            // Discord would refuse it; the player gets the apology and the log the limit.
            let isModal = if case .modal = document { true } else { false }
            if let problem = MessageLimits.problem(in: data, sentBy: cog, asModal: isModal) {
                return ReplyPlan(step: message(HostMessage.ephemeral(HostMessage.failed), deferred: deferred),
                                 failure: .init(playerMessage: nil, detail: "the answer breaks Discord's limits: \(problem)"))
            }
            // Whatever the cog wrote, its answer pings no role or @everyone it may not; an answer
            // whose mentions cannot be read is not sent as written.
            if !isModal {
                do {
                    let limited = try OutgoingMessage.prepare(data, capabilities: capabilities)
                    if case .update = document { document = .update(data: limited) } else { document = .message(data: limited) }
                } catch {
                    return ReplyPlan(step: message(HostMessage.ephemeral(HostMessage.failed), deferred: deferred),
                                     failure: .init(playerMessage: nil, detail: "the answer's allowed_mentions do not read: \(error)"))
                }
            }
        default:
            break
        }
        return planValid(document, interactionType: interactionType, deferred: deferred)
    }

    /// The plan for a document whose messages keep to Discord's limits.
    private static func planValid(_ document: ResponseDocument, interactionType: Int, deferred: Bool) -> ReplyPlan {
        let failure: ReplyPlan.Failure
        switch document {
        case .message(let data):
            return ReplyPlan(step: message(data, deferred: deferred), failure: nil)
        case .update(let data) where interactionType == InteractionType.messageComponent.rawValue:
            return ReplyPlan(step: deferred ? .editOriginal(data) : .respond(InteractionCallback(type: .updateMessage, data: data)),
                             failure: nil)
        case .modal(let data) where !deferred && interactionType != InteractionType.modalSubmit.rawValue:
            return ReplyPlan(step: .respond(InteractionCallback(type: .modal, data: data)), failure: nil)
        case .update:
            failure = .init(playerMessage: nil, detail: "answered with an update, which only a component's answer can be")
        case .modal:
            failure = .init(playerMessage: nil, detail: deferred ? "opened a modal after deferring; a modal must be the first answer"
                                                                 : "opened a modal from a modal submit")
        case .done:
            failure = .init(playerMessage: nil, detail: "answered an interaction as if it were a job")
        case .choices:
            failure = .init(playerMessage: nil, detail: "answered a command with autocomplete suggestions")
        case .error(let playerMessage, let detail):
            failure = .init(playerMessage: playerMessage, detail: detail)
        }
        return ReplyPlan(step: message(HostMessage.ephemeral(failure.playerMessage ?? HostMessage.failed), deferred: deferred),
                         failure: failure)
    }

    /// The deferral to send when the cog (or the host's timer) asks for one; `nil` when none
    /// may be sent: autocomplete has no deferral, and an interaction is deferred at most once.
    static func deferral(kind: cog_request_kind, alreadyDeferred: Bool, ephemeral: Bool) -> InteractionCallback? {
        guard !alreadyDeferred, kind != COG_REQUEST_AUTOCOMPLETE else { return nil }
        return .deferred(ephemeral: ephemeral)
    }

    /// What the player sees when the cog did not answer in time; `nil` for autocomplete.
    static func timeout(kind: cog_request_kind, deferred: Bool) -> ReplyStep? {
        guard kind != COG_REQUEST_AUTOCOMPLETE else { return nil }
        return message(HostMessage.ephemeral(HostMessage.timedOut), deferred: deferred)
    }

    /// A message as the first response, or as the edit of a deferred one.
    static func message(_ data: [UInt8], deferred: Bool) -> ReplyStep {
        deferred ? .editOriginal(data) : .respond(.message(data))
    }
}
