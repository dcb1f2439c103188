import CogWire
import DiscordCache

/// Who reads the cache, and so what it may see: nothing of a guild where a manager turned the
/// cog off (`/cog disable`), and message content only with the MESSAGE_CONTENT intent declared.
struct CacheReader {
    let cog: String
    let isDisabled: (UInt64) -> Bool
    let readsContent: Bool
}

/// The `cache.*` services: lookups in the host's ``GuildCache``, answered as CogWire documents.
enum CacheLookups {
    /// Answers a cache request; anything the cache does not hold is `notFound`, with what is
    /// missing, and anything of a guild that turned `reader` off is `denied`.
    static func answer(_ request: ServiceRequest, from cache: GuildCache, for reader: CacheReader) throws(ServiceError) -> [UInt8] {
        func allowed(in guild: UInt64) throws(ServiceError) {
            guard guild == 0 || !reader.isDisabled(guild) else {
                throw ServiceError(.denied, "\(reader.cog) is turned off in guild \(guild) (/cog enable \(reader.cog) there)")
            }
        }
        switch request {
        case .cacheGuild(let id):
            try allowed(in: id)
            guard let guild = cache.guild(id) else { throw missing("guild \(id)") }
            return CachedGuildAnswer(
                id: guild.id, name: guild.name, ownerID: guild.ownerID, memberCount: guild.memberCount,
                roles: guild.roles.values.sorted { ($0.position, $0.id) < ($1.position, $1.id) }.map {
                    CachedRoleDocument(id: $0.id, name: $0.name, position: $0.position, permissions: $0.permissions, color: $0.color)
                },
                channels: guild.channels.values.sorted { ($0.position, $0.id) < ($1.position, $1.id) }.map(document),
                emojis: guild.emojis.sorted { $0.key < $1.key }.map { CachedGuildAnswer.EmojiEntry(id: $0.key, name: $0.value) },
                botPosition: cache.member(cache.botUserID, in: id)?.roles.compactMap { guild.roles[$0]?.position }.max() ?? 0
            ).encoded()
        case .cacheChannel(let id):
            guard let channel = cache.channel(id) else { throw missing("channel \(id)") }
            try allowed(in: channel.guildID)
            return document(channel).encoded()
        case .cacheMember(let guild, let user):
            try allowed(in: guild)
            guard let member = cache.member(user, in: guild) else { throw missing("member \(user) of guild \(guild)") }
            return CachedMemberAnswer(guildID: member.guildID, userID: member.userID, username: member.username,
                                      globalName: member.globalName, nick: member.nick, roles: member.roles,
                                      joinedAt: member.joinedAt, timedOutUntil: member.timedOutUntil).encoded()
        case .cacheRoleMembers(let guild, let role):
            try allowed(in: guild)
            return RoleMembersAnswer(userIDs: cache.members(withRole: role, in: guild).map(\.userID)).encoded()
        case .cachePermissions(let guild, let user, let channel):
            try allowed(in: guild)
            guard let permissions = cache.permissions(of: user, in: guild, channel: channel) else {
                throw missing("guild \(guild), its channel \(channel.map(String.init) ?? "-") or member \(user)")
            }
            return PermissionsAnswer(permissions: permissions).encoded()
        case .cacheMessage(let channel, let id):
            guard let message = cache.message(id, in: channel) else {
                throw missing("message \(id) in channel \(channel) (the message cache keeps \(cache.limits.messagesPerChannel) per channel; COGWHEEL_CACHE_MESSAGES)")
            }
            try allowed(in: message.guildID)
            return CachedMessageAnswer(id: message.id, channelID: message.channelID, guildID: message.guildID,
                                       authorID: message.authorID, content: reader.readsContent ? message.content : "",
                                       deleted: message.deleted, previousContent: reader.readsContent ? message.previousContent : nil).encoded()
        default:
            throw ServiceError(.badRequest, "\(request.service) is not a cache lookup")
        }
    }

    private static func document(_ channel: CachedChannel) -> CachedChannelDocument {
        CachedChannelDocument(id: channel.id, guildID: channel.guildID, type: channel.type, name: channel.name,
                              parentID: channel.parentID, position: channel.position,
                              overwrites: channel.overwrites.map {
                                  OverwriteDocument(id: $0.id, isMember: $0.kind == .member, allow: $0.allow, deny: $0.deny)
                              })
    }

    private static func missing(_ what: String) -> ServiceError {
        ServiceError(.notFound, "the cache holds no \(what)")
    }
}
