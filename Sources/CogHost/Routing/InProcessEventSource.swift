import DiscordModels
import Foundation
import Synchronization

/// Feeds interactions to the router from memory and records what the bot answered: the event
/// source for tests, benchmarks and the console, where no Discord connection exists.
///
/// ```swift
/// let source = InProcessEventSource(router: host.router)
/// let answers = await source.deliver(frame: fixtureBytes)   // INTERACTION_CREATE frame or object
/// print(answers.first?.content ?? "")
/// ```
public final class InProcessEventSource: InteractionResponder {
    private let router: InteractionRouter
    private let recorded = Mutex<[UInt64: [RecordedResponse]]>([:])

    public init(router: InteractionRouter) {
        self.router = router
    }

    /// Delivers a gateway frame `{"op":0,"t":"INTERACTION_CREATE","d":{…}}`, or a bare
    /// interaction object, and returns what the bot answered to it.
    @discardableResult
    public func deliver(frame bytes: [UInt8]) async -> [RecordedResponse] {
        let interaction = Self.interactionObject(in: bytes)
        guard let facts = try? interaction.withUnsafeBytes({ try InteractionRoutingFacts(interaction: $0) }) else {
            // The router logs why it drops an unreadable payload; nothing is answered.
            await router.handle(interaction: interaction, responder: self)
            return []
        }
        await router.handle(interaction: interaction, facts: facts, responder: self)
        return recorded.withLock { $0.removeValue(forKey: facts.id) ?? [] }
    }

    public func respond(to interaction: InteractionRoutingFacts, with callback: InteractionCallback) async throws {
        recorded.withLock { $0[interaction.id, default: []].append(.initial(callback)) }
    }

    public func editOriginalResponse(of interaction: InteractionRoutingFacts, with message: [UInt8]) async throws {
        recorded.withLock { $0[interaction.id, default: []].append(.edit(message)) }
    }

    /// The `d` of a gateway frame, or the bytes themselves when they are not a frame.
    private static func interactionObject(in bytes: [UInt8]) -> [UInt8] {
        let envelope = try? bytes.withUnsafeBytes { try GatewayFrameEnvelope(frame: $0) }
        guard let envelope, envelope.eventName == .interactionCreate, let range = envelope.payloadRange else {
            return bytes
        }
        return Array(bytes[range])
    }
}

/// One answer the bot sent to an interaction.
public enum RecordedResponse: Sendable, Equatable {
    /// The first response (callback endpoint).
    case initial(InteractionCallback)
    /// An edit of the original response, after a deferral.
    case edit([UInt8])

    /// The message object this response carries, decoded for reading.
    public var message: RecordedMessage? {
        let data: [UInt8]?
        switch self {
        case .initial(let callback): data = callback.data
        case .edit(let message): data = message
        }
        return data.flatMap { try? JSONDecoder().decode(RecordedMessage.self, from: Data($0)) }
    }

    /// The callback type of an initial response; `nil` for edits.
    public var callbackType: InteractionCallbackType? {
        if case .initial(let callback) = self { return callback.type }
        return nil
    }
}

/// The readable parts of a message the bot sent.
public struct RecordedMessage: Decodable, Sendable, Equatable {
    public struct Embed: Decodable, Sendable, Equatable {
        public struct Field: Decodable, Sendable, Equatable {
            public var name: String
            public var value: String
        }
        public var title: String?
        public var description: String?
        public var fields: [Field]?
    }

    /// A button or select menu under the message.
    public struct Component: Decodable, Sendable, Equatable {
        public var type: Int
        public var custom_id: String?
        public var label: String?
        public var style: Int?
        public var url: String?
        public var disabled: Bool?
        public var components: [Component]?
    }

    public var content: String?
    public var embeds: [Embed]?
    public var flags: Int?
    /// Action rows, as sent.
    public var components: [Component]?
    /// For a modal: its custom_id and title.
    public var custom_id: String?
    public var title: String?

    /// Every button and select menu, row by row.
    public var controls: [Component] { (components ?? []).flatMap { $0.components ?? [] } }

    /// Whether only the player sees the message.
    public var isEphemeral: Bool { (flags ?? 0) & MessageFlags.ephemeral != 0 }

    /// Content and embed text joined, for display and assertions.
    public var text: String {
        var parts: [String] = []
        if let content { parts.append(content) }
        for embed in embeds ?? [] {
            if let title = embed.title { parts.append(title) }
            if let description = embed.description { parts.append(description) }
            for field in embed.fields ?? [] { parts.append("\(field.name): \(field.value)") }
        }
        return parts.joined(separator: "\n")
    }
}
