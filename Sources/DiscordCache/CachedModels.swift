/// What the cache keeps of a guild: enough for lookups and permissions, not the whole payload.
public struct CachedGuild: Sendable, Equatable {
    public var id: UInt64
    public var name: String
    public var ownerID: UInt64
    public var memberCount: Int
    public var roles: [UInt64: CachedRole] = [:]
    public var channels: [UInt64: CachedChannel] = [:]
    /// Custom emojis, by id: their names.
    public var emojis: [UInt64: String] = [:]
    /// Who is in which voice channel.
    public var voiceChannels: [UInt64: UInt64] = [:]
}

public struct CachedRole: Sendable, Equatable {
    public var id: UInt64
    public var name: String
    public var position: Int
    public var permissions: UInt64
    public var color: Int
    public var managed: Bool
}

/// A channel or a thread.
public struct CachedChannel: Sendable, Equatable {
    public var id: UInt64
    public var guildID: UInt64
    public var type: Int
    public var name: String
    /// The category of a channel, the channel of a thread.
    public var parentID: UInt64
    public var position: Int
    public var overwrites: [PermissionOverwrite]

    /// Threads take their permissions from their parent channel.
    public var isThread: Bool { [10, 11, 12].contains(type) }
}

public struct CachedMember: Sendable, Equatable {
    public var guildID: UInt64
    public var userID: UInt64
    public var username: String
    public var globalName: String?
    public var nick: String?
    public var roles: [UInt64]
    public var joinedAt: String?
    /// A timeout's end (ISO 8601), when one was set.
    public var timedOutUntil: String?
}

/// A recent message, kept when the message cache is on so a deletion can show what was deleted.
public struct CachedMessage: Sendable, Equatable {
    public var id: UInt64
    public var channelID: UInt64
    public var guildID: UInt64
    public var authorID: UInt64
    public var content: String
    /// Set once Discord said it was deleted; kept until it ages out of the channel's cache.
    public var deleted: Bool
    /// The content before its last edit, for a mod log's "before → after".
    public var previousContent: String?

    public init(id: UInt64, channelID: UInt64, guildID: UInt64, authorID: UInt64, content: String, deleted: Bool) {
        self.id = id
        self.channelID = channelID
        self.guildID = guildID
        self.authorID = authorID
        self.content = content
        self.deleted = deleted
    }
}
