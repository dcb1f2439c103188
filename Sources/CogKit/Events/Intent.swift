/// A gateway intent a cog asks for beyond those its listeners imply.
///
/// The host derives intents from ``Cog/listeners`` (a `messageCreated` listener implies
/// GUILD_MESSAGES). MESSAGE_CONTENT is implied by no event: ask for it to read what members write.
///
/// ```swift
/// static var intents: [Intent] { [.messageContent] }
/// ```
public struct Intent: Sendable, Hashable {
    /// The intent's name in Discord's docs, e.g. `"MESSAGE_CONTENT"`.
    public let name: String

    /// The text of messages (privileged: enable it in the Developer Portal).
    public static let messageContent = Intent(name: "MESSAGE_CONTENT")
    /// Every member of the guilds, for the host's cache (privileged).
    public static let guildMembers = Intent(name: "GUILD_MEMBERS")
    /// Members' presences (privileged).
    public static let guildPresences = Intent(name: "GUILD_PRESENCES")

    /// Any intent by its name in Discord's docs (`"GUILD_VOICE_STATES"`).
    public init(name: String) {
        self.name = name
    }
}
