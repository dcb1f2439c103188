/// What a cog may do on Discord, declared in its manifest's `capabilities` (docs/cog-abi.md,
/// "Capabilities"). The host refuses a `discord.*` call whose capability the cog did not
/// declare, or the operator denied it (`COGWHEEL_DENY_CAPABILITIES`), with `COG_ERR_DENIED`.
///
/// ```swift
/// CogCapability(rawValue: "members.moderate")   // .membersModerate
/// CogCapability.membersModerate.summary         // "time out, kick and ban members"
/// ```
public enum CogCapability: String, CaseIterable, Sendable, Comparable {
    /// Post, edit and delete its own messages, reply, react, fetch messages.
    case messagesSend = "messages.send"
    /// Delete others' messages, purge (bulk delete), pin and unpin.
    case messagesManage = "messages.manage"
    /// Give and take members' roles.
    case membersRoles = "members.roles"
    /// Set members' nicknames.
    case membersNicknames = "members.nicknames"
    /// Time out, kick, ban and unban members.
    case membersModerate = "members.moderate"
    /// Create threads, archive them, add members to them.
    case threads
    /// Send members direct messages.
    case dm
    /// Attach files to messages.
    case files
    /// Create, edit and delete roles.
    case rolesManage = "roles.manage"
    /// Let its messages ping roles.
    case mentionsRoles = "mentions.roles"
    /// Let its messages ping @everyone and @here.
    case mentionsEveryone = "mentions.everyone"

    /// What the capability allows, for `cogs list`, `/cogs` and refusals.
    public var summary: String {
        switch self {
        case .messagesSend: "send, edit and delete its own messages, reply, react, read messages"
        case .messagesManage: "delete others' messages, purge, pin"
        case .membersRoles: "give and take members' roles"
        case .membersNicknames: "set members' nicknames"
        case .membersModerate: "time out, kick and ban members"
        case .threads: "create and archive threads"
        case .dm: "send members direct messages"
        case .files: "attach files"
        case .rolesManage: "create, edit and delete roles"
        case .mentionsRoles: "ping roles"
        case .mentionsEveryone: "ping @everyone and @here"
        }
    }

    public static func < (lhs: CogCapability, rhs: CogCapability) -> Bool { lhs.rawValue < rhs.rawValue }
}
