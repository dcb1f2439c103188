internal import CogWire

/// What a handler answers: a message (text, embeds, components), visible to everyone or only
/// to the player; for a component, an update of the message it sits on; or a modal to fill in.
///
/// ```swift
/// return .message("🎲 You rolled 9")
/// return .message("Only you can see this", ephemeral: true)
/// return .embed(Embed(title: "Rank", description: "Level 4"))
/// return .update(content: "Voted!", components: [])          // from a button's action
/// return .modal(Modal("New poll", action: "create", fields: [.init(id: "question", label: "Question")]))
/// ```
public struct Reply: Sendable {
    /// How the host answers Discord.
    public enum Kind: Sendable {
        /// A new message (Discord's callback type 4).
        case message
        /// Replaces the message whose component was used (type 7); only from an ``Action``.
        case update
        /// Opens a form (type 9); not from a modal's own submit.
        case modal(Modal)
    }

    /// Message text, up to 2,000 characters.
    public var content: String?
    /// Up to 10 embeds.
    public var embeds: [Embed]
    /// Up to five rows of buttons or select menus.
    public var components: [ActionRow]
    /// Whether only the player sees the reply.
    public var ephemeral: Bool
    public var kind: Kind

    /// - Parameters:
    ///   - content: Message text.
    ///   - embeds: Rich embeds.
    ///   - components: Rows of buttons or select menus.
    ///   - ephemeral: Whether only the player sees the reply.
    public init(content: String? = nil, embeds: [Embed] = [], components: [ActionRow] = [], ephemeral: Bool = false) {
        self.content = content
        self.embeds = embeds
        self.components = components
        self.ephemeral = ephemeral
        self.kind = .message
    }

    /// A text reply, with optional components.
    public static func message(_ content: String, ephemeral: Bool = false, components: [ActionRow] = []) -> Reply {
        Reply(content: content, components: components, ephemeral: ephemeral)
    }

    /// A reply with one embed, with optional components.
    public static func embed(_ embed: Embed, ephemeral: Bool = false, components: [ActionRow] = []) -> Reply {
        Reply(embeds: [embed], components: components, ephemeral: ephemeral)
    }

    /// From a component's action: replaces the message the component sits on. Pass
    /// `components: []` to remove the buttons.
    public static func update(content: String? = nil, embeds: [Embed] = [], components: [ActionRow] = []) -> Reply {
        var reply = Reply(content: content, embeds: embeds, components: components)
        reply.kind = .update
        return reply
    }

    /// Opens `modal`; its submit runs the modal's action.
    public static func modal(_ modal: Modal) -> Reply {
        var reply = Reply()
        reply.kind = .modal(modal)
        return reply
    }

    /// The response document the host turns into Discord's interaction response.
    func responseDocument(cog: String) throws(ComponentError) -> ResponseDocument {
        switch kind {
        case .message:
            .message(data: try MessageBody(content: content, embeds: embeds, components: components).json(cog: cog, flags: ephemeral ? 64 : nil))
        case .update:
            .update(data: try MessageBody(content: content, embeds: embeds, components: components).json(cog: cog, flags: ephemeral ? 64 : nil))
        case .modal(let modal):
            .modal(data: try modal.json(cog: cog))
        }
    }
}

/// The message object Discord takes, shared by replies and messages a cog sends itself.
struct MessageBody {
    var content: String?
    var embeds: [Embed]
    var components: [ActionRow]

    /// The object's JSON. Mentions in the text notify users only: never @everyone or roles.
    func json(cog: String, flags: Int? = nil) throws(ComponentError) -> [UInt8] {
        var writer = JSONWriter()
        var failure: ComponentError?
        writer.object { data in
            if let content { data.field("content", content) }
            data.key("embeds")
            data.array(embeds) { $1.write(to: &$0) }
            data.key("components")
            data.array(components) { writer, row in
                do throws(ComponentError) { try row.write(to: &writer, cog: cog) } catch { failure = error }
            }
            if let flags { data.field("flags", flags) }
            data.key("allowed_mentions")
            data.object { mentions in
                mentions.key("parse")
                mentions.array(["users"]) { $0.string($1) }
            }
        }
        if let failure { throw failure }
        return writer.bytes
    }
}
