internal import CogWire

/// A rich embed in a reply.
///
/// ```swift
/// var embed = Embed(title: "Leaderboard", colour: 0x5865F2)
/// embed.fields.append(.init(name: "1. Ada", value: "1,200 XP", inline: true))
/// embed.footer = "Updated just now"
/// ```
public struct Embed: Sendable {
    /// One name/value pair shown in the embed.
    public struct Field: Sendable {
        /// Up to 256 characters.
        public var name: String
        /// Up to 1,024 characters.
        public var value: String
        /// Whether the field may sit beside its neighbours.
        public var inline: Bool

        /// - Parameters:
        ///   - name: The field's title.
        ///   - value: The field's text.
        ///   - inline: Whether it may sit beside its neighbours.
        public init(name: String, value: String, inline: Bool = false) {
            self.name = name
            self.value = value
            self.inline = inline
        }
    }

    /// Up to 256 characters.
    public var title: String?
    /// Up to 4,096 characters.
    public var description: String?
    /// A link for the title.
    public var url: String?
    /// The side bar colour as 0xRRGGBB.
    public var colour: Int?
    /// Up to 25 fields.
    public var fields: [Field]
    /// Small text at the bottom.
    public var footer: String?

    /// - Parameters:
    ///   - title: The embed's title.
    ///   - description: The main text.
    ///   - url: A link for the title.
    ///   - colour: The side bar colour as 0xRRGGBB.
    ///   - fields: Name/value pairs.
    ///   - footer: Small text at the bottom.
    public init(
        title: String? = nil, description: String? = nil, url: String? = nil, colour: Int? = nil,
        fields: [Field] = [], footer: String? = nil
    ) {
        self.title = title
        self.description = description
        self.url = url
        self.colour = colour
        self.fields = fields
        self.footer = footer
    }

    func write(to writer: inout JSONWriter) {
        writer.object { embed in
            if let title { embed.field("title", title) }
            if let description { embed.field("description", description) }
            if let url { embed.field("url", url) }
            if let colour { embed.field("color", colour) }
            if !fields.isEmpty {
                embed.key("fields")
                embed.array(fields) { writer, field in
                    writer.object {
                        $0.field("name", field.name)
                        $0.field("value", field.value)
                        $0.field("inline", field.inline)
                    }
                }
            }
            if let footer {
                embed.key("footer")
                embed.object { $0.field("text", footer) }
            }
        }
    }
}
