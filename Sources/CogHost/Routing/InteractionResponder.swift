import DiscordModels
import Logging

/// Delivers the host's answers to Discord. The REST client implements it for a real bot; the
/// in-process event source records answers for tests and the console.
public protocol InteractionResponder: Sendable {
    /// Sends the first response to an interaction (Discord's callback endpoint).
    func respond(to interaction: InteractionRoutingFacts, with callback: InteractionCallback) async throws
    /// Replaces the message of the original response, after a deferral.
    func editOriginalResponse(of interaction: InteractionRoutingFacts, with message: [UInt8]) async throws
}

extension InteractionResponder {
    /// Sends `callback`, logging instead of throwing: a failed answer must not stop the host.
    func respondOrLog(_ callback: InteractionCallback, to facts: InteractionRoutingFacts, logger: Logger) async {
        do {
            try await respond(to: facts, with: callback)
        } catch {
            logger.error("could not answer an interaction", metadata: ["interaction": "\(facts.id)", "error": "\(error)"])
        }
    }
}

/// An interaction response: a callback type and its data (a message, choices, a modal).
public struct InteractionCallback: Sendable, Equatable {
    public let type: InteractionCallbackType
    /// The `data` object as JSON, or `nil` for callbacks without data.
    public let data: [UInt8]?

    public init(type: InteractionCallbackType, data: [UInt8]?) {
        self.type = type
        self.data = data
    }

    /// The request body for the callback endpoint: `{"type":T,"data":D}`.
    public var body: [UInt8] {
        var body = Array("{\"type\":\(type.rawValue)".utf8)
        if let data {
            body.append(contentsOf: ",\"data\":".utf8)
            body.append(contentsOf: data)
        }
        body.append(UInt8(ascii: "}"))
        return body
    }

    /// A pong for Discord's PING.
    public static let pong = InteractionCallback(type: .pong, data: nil)

    /// A message callback with `data` as the message.
    /// Autocomplete suggestions; `choices` is the JSON array of choice objects.
    public static func suggestions(_ choices: [UInt8]) -> InteractionCallback {
        InteractionCallback(type: .applicationCommandAutocompleteResult, data: Array("{\"choices\":".utf8) + choices + [UInt8(ascii: "}")])
    }

    public static func message(_ data: [UInt8]) -> InteractionCallback {
        InteractionCallback(type: .channelMessageWithSource, data: data)
    }

    /// "The bot is thinking…"; the eventual message replaces it.
    public static func deferred(ephemeral: Bool) -> InteractionCallback {
        InteractionCallback(type: .deferredChannelMessageWithSource,
                            data: ephemeral ? Array("{\"flags\":\(MessageFlags.ephemeral)}".utf8) : nil)
    }
}
