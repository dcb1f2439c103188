/// Discord permission bits, as used by `default_member_permissions`.
///
/// ```swift
/// Command("purge", "Delete messages", defaultMemberPermissions: .manageMessages) { … }
/// ```
public struct Permissions: OptionSet, Sendable, Hashable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Kick members.
    public static let kickMembers = Permissions(rawValue: 1 << 1)
    /// Ban members.
    public static let banMembers = Permissions(rawValue: 1 << 2)
    /// Every permission; the server owner and admins have it.
    public static let administrator = Permissions(rawValue: 1 << 3)
    /// Manage channels.
    public static let manageChannels = Permissions(rawValue: 1 << 4)
    /// Manage the guild's settings.
    public static let manageGuild = Permissions(rawValue: 1 << 5)
    /// Delete and pin other people's messages.
    public static let manageMessages = Permissions(rawValue: 1 << 13)
    /// Manage roles below one's own.
    public static let manageRoles = Permissions(rawValue: 1 << 28)
    /// See a channel and read its messages.
    public static let viewChannel = Permissions(rawValue: 1 << 10)
    /// Send messages in a channel.
    public static let sendMessages = Permissions(rawValue: 1 << 11)
    /// Add reactions to messages.
    public static let addReactions = Permissions(rawValue: 1 << 6)
    /// Time members out.
    public static let moderateMembers = Permissions(rawValue: 1 << 40)
}
