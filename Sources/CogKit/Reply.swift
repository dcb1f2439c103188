/// What a command answers: text, embeds, or both, visible to everyone or only to the player.
///
/// ```swift
/// return .message("🎲 You rolled 9")
/// return .message("Only you can see this", ephemeral: true)
/// return .embed(Embed(title: "Rank", description: "Level 4"))
/// ```
public struct Reply: Sendable {
    /// Message text, up to 2,000 characters.
    public var content: String?
    /// Up to 10 embeds.
    public var embeds: [Embed]
    /// Whether only the player sees the reply.
    public var ephemeral: Bool

    /// - Parameters:
    ///   - content: Message text.
    ///   - embeds: Rich embeds.
    ///   - ephemeral: Whether only the player sees the reply.
    public init(content: String? = nil, embeds: [Embed] = [], ephemeral: Bool = false) {
        self.content = content
        self.embeds = embeds
        self.ephemeral = ephemeral
    }

    /// A text reply.
    public static func message(_ content: String, ephemeral: Bool = false) -> Reply {
        Reply(content: content, ephemeral: ephemeral)
    }

    /// A reply with one embed.
    public static func embed(_ embed: Embed, ephemeral: Bool = false) -> Reply {
        Reply(embeds: [embed], ephemeral: ephemeral)
    }

    /// The response document the host turns into Discord's interaction response.
    func responseDocument() -> [UInt8] {
        var writer = JSONWriter()
        writer.object { writer in
            writer.field("kind", "message")
            writer.key("data")
            writer.object { data in
                if let content { data.field("content", content) }
                if !embeds.isEmpty {
                    data.key("embeds")
                    data.array(embeds) { $1.write(to: &$0) }
                }
                if ephemeral { data.field("flags", 64) }
            }
        }
        return writer.bytes
    }
}
