import CCogABI
internal import CogWire

/// What the host knows of Discord, kept from the gateway's events: guilds with their roles,
/// channels and emojis, members, permissions, and recent messages when the operator keeps them
/// (`COGWHEEL_CACHE_MESSAGES`). Reach it as `context.cache`; a lookup the cache cannot answer is `nil`.
///
/// ```swift
/// .messageDeleted { _, deleted, context in
///     if let message = try await context.cache.message(deleted.id, in: deleted.channelID) {
///         context.logger.info("deleted: \(message.content)")
///     }
/// }
/// let allowed = try await context.cache.permissions(of: userID, in: guildID, channel: channelID)
/// if allowed?.contains(.sendMessages) == true { … }
/// ```
public struct CacheLookup: Sendable {
    let host: HostServices?

    /// A guild with its roles, channels and custom emojis.
    public func guild(_ id: Snowflake) async throws -> GuildSnapshot? {
        try await lookup(.cacheGuild(guild: id.rawValue), CachedGuildAnswer.self).map(GuildSnapshot.init)
    }

    /// A channel or thread, with its permission overwrites.
    public func channel(_ id: Snowflake) async throws -> ChannelSnapshot? {
        try await lookup(.cacheChannel(channel: id.rawValue), CachedChannelDocument.self).map(ChannelSnapshot.init)
    }

    /// A member of a guild, when the cache has seen them.
    public func member(_ user: Snowflake, in guild: Snowflake) async throws -> Member? {
        try await lookup(.cacheMember(guild: guild.rawValue, user: user.rawValue), CachedMemberAnswer.self).map(Member.init)
    }

    /// The cached members of `guild` with `role` (every member only with the GUILD_MEMBERS intent).
    public func members(withRole role: Snowflake, in guild: Snowflake) async throws -> [Snowflake] {
        try await lookup(.cacheRoleMembers(guild: guild.rawValue, role: role.rawValue), RoleMembersAnswer.self)?
            .userIDs.map(Snowflake.init) ?? []
    }

    /// What `user` may do in `guild`, or in `channel`, by Discord's computation (roles,
    /// Administrator, then the channel's overwrites: @everyone, roles, the member).
    public func permissions(of user: Snowflake, in guild: Snowflake, channel: Snowflake? = nil) async throws -> Permissions? {
        try await lookup(.cachePermissions(guild: guild.rawValue, user: user.rawValue, channel: channel?.rawValue),
                         PermissionsAnswer.self).map { Permissions(rawValue: $0.permissions) }
    }

    /// A recent message, also after it was deleted (``MessageSnapshot/deleted``).
    public func message(_ id: Snowflake, in channel: Snowflake) async throws -> MessageSnapshot? {
        try await lookup(.cacheMessage(channel: channel.rawValue, message: id.rawValue), CachedMessageAnswer.self)
            .map(MessageSnapshot.init)
    }

    private func lookup<Answer: WireDocument>(_ request: ServiceRequest, _ type: Answer.Type) async throws -> Answer? {
        do {
            return try await host.call(request, answer: Answer.self)
        } catch let error as ServiceCallError where error.status == Int32(COG_ERR_NOT_FOUND.rawValue) {
            return nil
        }
    }
}

/// A cached guild: its name, owner, member count, roles (lowest first), channels and emojis.
///
/// ```swift
/// if let guild = try await context.cache.guild(guildID) {
///     let mods = guild.roles.first { $0.name == "Mods" }
///     context.logger.info("\(guild.name) has \(guild.memberCount) members, \(guild.channels.count) channels")
/// }
/// ```
public struct GuildSnapshot: Sendable {
    public let id: Snowflake
    public let name: String
    public let ownerID: Snowflake
    public let memberCount: Int
    /// Lowest position first; the role whose id is the guild's is @everyone.
    public let roles: [RoleSnapshot]
    public let channels: [ChannelSnapshot]
    /// Custom emojis: their ids and names.
    public let emojis: [(id: Snowflake, name: String)]
    /// The position of the bot's highest role: it can give and take only the roles below it.
    ///
    /// ```swift
    /// let givable = guild.roles.filter { $0.position < guild.botPosition && $0.id != guild.id }
    /// ```
    public let botPosition: Int

    init(_ answer: CachedGuildAnswer) {
        id = Snowflake(answer.id)
        name = answer.name
        ownerID = Snowflake(answer.ownerID)
        memberCount = answer.memberCount
        roles = answer.roles.map(RoleSnapshot.init)
        channels = answer.channels.map(ChannelSnapshot.init)
        emojis = answer.emojis.map { (Snowflake($0.id), $0.name) }
        botPosition = answer.botPosition
    }
}

/// A cached role, as one of ``GuildSnapshot/roles``.
///
/// ```swift
/// let canManage = guild.roles.filter { $0.permissions.contains(.manageMessages) }.map(\.id)
/// ```
public struct RoleSnapshot: Sendable, Equatable {
    public let id: Snowflake
    public let name: String
    public let position: Int
    public let permissions: Permissions
    public let color: Int

    init(_ document: CachedRoleDocument) {
        id = Snowflake(document.id)
        name = document.name
        position = document.position
        permissions = Permissions(rawValue: document.permissions)
        color = document.color
    }
}

/// A cached channel or thread, with its permission overwrites.
///
/// ```swift
/// if let channel = try await context.cache.channel(message.channelID), channel.parentID != nil {
///     context.logger.debug("a message in a thread or a categorised channel: \(channel.name)")
/// }
/// ```
public struct ChannelSnapshot: Sendable, Equatable {
    /// One permission overwrite: for a role (the guild's id is @everyone) or a member.
    public struct Overwrite: Sendable, Equatable {
        public let id: Snowflake
        public let isMember: Bool
        public let allow: Permissions
        public let deny: Permissions
    }

    public let id: Snowflake
    public let guildID: Snowflake
    /// Discord's channel type (0 text, 2 voice, 4 category, 11 public thread, …).
    public let type: Int
    public let name: String
    public let parentID: Snowflake?
    public let position: Int
    public let overwrites: [Overwrite]

    /// Mention text that Discord renders as a link to the channel.
    public var mention: String { "<#\(id)>" }

    init(_ document: CachedChannelDocument) {
        id = Snowflake(document.id)
        guildID = Snowflake(document.guildID)
        type = document.type
        name = document.name
        parentID = document.parentID == 0 ? nil : Snowflake(document.parentID)
        position = document.position
        overwrites = document.overwrites.map {
            Overwrite(id: Snowflake($0.id), isMember: $0.isMember, allow: Permissions(rawValue: $0.allow), deny: Permissions(rawValue: $0.deny))
        }
    }
}

/// A recent message from the cache (kept only with `COGWHEEL_CACHE_MESSAGES` > 0), still
/// there after it was deleted, so a mod log can show what was removed.
///
/// ```swift
/// .messageDeleted { _, deleted, context in
///     guard let before = try await context.cache.message(deleted.id, in: deleted.channelID) else { return }
///     context.logger.notice("deleted: \(before.content)")   // empty without the MESSAGE_CONTENT intent
/// }
/// ```
public struct MessageSnapshot: Sendable, Equatable {
    public let id: Snowflake
    public let channelID: Snowflake
    public let guildID: Snowflake?
    public let authorID: Snowflake
    public let content: String
    /// Discord said it was deleted; the cache still remembers it.
    public let deleted: Bool
    /// The content before its last edit, if the cache saw the message before it was edited.
    public let previousContent: String?

    init(_ answer: CachedMessageAnswer) {
        id = Snowflake(answer.id)
        channelID = Snowflake(answer.channelID)
        guildID = answer.guildID == 0 ? nil : Snowflake(answer.guildID)
        authorID = Snowflake(answer.authorID)
        content = answer.content
        deleted = answer.deleted
        previousContent = answer.previousContent
    }
}

extension Member {
    init(_ answer: CachedMemberAnswer) {
        self.init(guildID: Snowflake(answer.guildID), user: User(id: Snowflake(answer.userID), username: answer.username,
                                                                  globalName: answer.globalName),
                  nick: answer.nick, roles: answer.roles.map(Snowflake.init), joinedAt: answer.joinedAt)
    }
}
