internal import CogWire

/// A Discord capability a cog declares in ``Cog/capabilities``. The host refuses any
/// ``DiscordClient`` call whose capability the cog did not declare, or the operator denied
/// (`COGWHEEL_DENY_CAPABILITIES`), with a ``ServiceCallError`` naming it; `cogs list` and
/// `/cogs` show what each cog declared.
///
/// ```swift
/// static var capabilities: [Capability] { [.messagesSend, .membersModerate] }
/// ```
public struct Capability: Sendable, Hashable {
    /// The name in the manifest, e.g. `members.moderate`.
    public let name: String

    init(_ capability: CogCapability) { name = capability.rawValue }

    /// Send, edit and delete its own messages, reply, react, fetch messages, follow up interactions.
    public static let messagesSend = Capability(.messagesSend)
    /// Delete others' messages, purge (bulk delete), pin and unpin.
    public static let messagesManage = Capability(.messagesManage)
    /// Give and take members' roles.
    public static let membersRoles = Capability(.membersRoles)
    /// Set members' nicknames.
    public static let membersNicknames = Capability(.membersNicknames)
    /// Time out, kick, ban and unban members.
    public static let membersModerate = Capability(.membersModerate)
    /// Create threads, archive them and add members to them.
    public static let threads = Capability(.threads)
    /// Send members direct messages.
    public static let dm = Capability(.dm)
    /// Attach files to messages.
    public static let files = Capability(.files)
    /// Create, edit and delete roles.
    public static let rolesManage = Capability(.rolesManage)
    /// Let the cog's messages ping roles (otherwise only users are notified).
    public static let mentionsRoles = Capability(.mentionsRoles)
    /// Let the cog's messages ping @everyone and @here.
    public static let mentionsEveryone = Capability(.mentionsEveryone)
}
