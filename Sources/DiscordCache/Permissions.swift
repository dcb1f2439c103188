/// Discord's permission computation (the permissions topic of Discord's docs): the base
/// permissions from the member's roles, then the channel's overwrites in their documented order
/// (@everyone, the member's roles together, the member), then the implicit rules.
///
/// ```swift
/// let base = PermissionComputation.base(isOwner: false, everyone: everyone.permissions, roles: [moderator.permissions])
/// let inChannel = PermissionComputation.inChannel(base: base, guild: guildID, member: userID, roles: [moderatorID],
///                                                 overwrites: channel.overwrites)
/// ```
public enum PermissionComputation {
    public static let kickMembers: UInt64 = 1 << 1
    public static let banMembers: UInt64 = 1 << 2
    public static let administrator: UInt64 = 1 << 3
    public static let addReactions: UInt64 = 1 << 6
    public static let viewChannel: UInt64 = 1 << 10
    public static let sendMessages: UInt64 = 1 << 11
    public static let sendTTSMessages: UInt64 = 1 << 12
    public static let manageMessages: UInt64 = 1 << 13
    public static let embedLinks: UInt64 = 1 << 14
    public static let attachFiles: UInt64 = 1 << 15
    public static let readMessageHistory: UInt64 = 1 << 16
    public static let mentionEveryone: UInt64 = 1 << 17
    public static let manageNicknames: UInt64 = 1 << 27
    public static let manageRoles: UInt64 = 1 << 28
    public static let manageThreads: UInt64 = 1 << 34
    public static let createPublicThreads: UInt64 = 1 << 35
    public static let createPrivateThreads: UInt64 = 1 << 36
    public static let sendMessagesInThreads: UInt64 = 1 << 38
    public static let moderateMembers: UInt64 = 1 << 40
    /// Every permission bit Discord defines today (up to USE_EXTERNAL_APPS, 1 << 50).
    public static let all: UInt64 = (1 << 51) - 1

    /// The guild-level permissions: everything for the owner and for Administrator, else
    /// @everyone's permissions OR-ed with each of the member's roles'.
    public static func base(isOwner: Bool, everyone: UInt64, roles: [UInt64]) -> UInt64 {
        if isOwner { return all }
        let permissions = roles.reduce(everyone) { $0 | $1 }
        return permissions & administrator != 0 ? all : permissions
    }

    /// The permissions in a channel, from the guild-level ones and the channel's overwrites.
    ///
    /// - Parameters:
    ///   - timedOut: A member in a timeout keeps only VIEW_CHANNEL and READ_MESSAGE_HISTORY
    ///     (owners and administrators are never limited).
    public static func inChannel(base: UInt64, guild: UInt64, member: UInt64, roles: [UInt64],
                                 overwrites: [PermissionOverwrite], timedOut: Bool = false) -> UInt64 {
        if base & administrator != 0 { return all }
        var permissions = base
        if let everyone = overwrites.first(where: { $0.id == guild && $0.kind == .role }) {
            permissions = (permissions & ~everyone.deny) | everyone.allow
        }
        // The member's role overwrites apply at once: an allow on one role beats a deny on another.
        var allow: UInt64 = 0
        var deny: UInt64 = 0
        for overwrite in overwrites where overwrite.kind == .role && overwrite.id != guild && roles.contains(overwrite.id) {
            allow |= overwrite.allow
            deny |= overwrite.deny
        }
        permissions = (permissions & ~deny) | allow
        if let own = overwrites.first(where: { $0.id == member && $0.kind == .member }) {
            permissions = (permissions & ~own.deny) | own.allow
        }
        return implicit(permissions, timedOut: timedOut)
    }

    /// The implicit rules: without VIEW_CHANNEL nothing else in the channel applies; without
    /// SEND_MESSAGES none of the permissions that qualify a message; a timeout leaves reading only.
    private static func implicit(_ permissions: UInt64, timedOut: Bool) -> UInt64 {
        var permissions = permissions
        if timedOut { permissions &= viewChannel | readMessageHistory }
        guard permissions & viewChannel != 0 else { return 0 }
        if permissions & sendMessages == 0 {
            permissions &= ~(mentionEveryone | sendTTSMessages | attachFiles | embedLinks)
        }
        return permissions
    }
}

/// One permission overwrite of a channel: for a role (the guild's id is @everyone) or a member.
public struct PermissionOverwrite: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case role, member }

    public var id: UInt64
    public var kind: Kind
    public var allow: UInt64
    public var deny: UInt64

    public init(id: UInt64, kind: Kind, allow: UInt64, deny: UInt64) {
        self.id = id
        self.kind = kind
        self.allow = allow
        self.deny = deny
    }
}
