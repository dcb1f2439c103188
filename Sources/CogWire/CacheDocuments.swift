/// The answers of the `cache.*` services: what the host's cache holds, in Discord's field names.
/// Ids are decimal strings, as Discord writes them; absent ids (0) are left out.

/// One permission overwrite of a channel: `type` 0 for a role, 1 for a member.
public struct OverwriteDocument: Sendable, Equatable {
    public var id: UInt64
    public var isMember: Bool
    public var allow: UInt64
    public var deny: UInt64

    public init(id: UInt64, isMember: Bool, allow: UInt64, deny: UInt64) {
        self.id = id
        self.isMember = isMember
        self.allow = allow
        self.deny = deny
    }
}

public struct CachedRoleDocument: Sendable, Equatable {
    public var id: UInt64
    public var name: String
    public var position: Int
    public var permissions: UInt64
    public var color: Int

    public init(id: UInt64, name: String, position: Int, permissions: UInt64, color: Int) {
        self.id = id
        self.name = name
        self.position = position
        self.permissions = permissions
        self.color = color
    }
}

/// A cached channel or thread (the answer to `cache.channel`, and each channel of a guild).
public struct CachedChannelDocument: WireDocument {
    public var id: UInt64
    public var guildID: UInt64
    public var type: Int
    public var name: String
    public var parentID: UInt64
    public var position: Int
    public var overwrites: [OverwriteDocument]

    public init(id: UInt64, guildID: UInt64, type: Int, name: String, parentID: UInt64, position: Int, overwrites: [OverwriteDocument]) {
        self.id = id
        self.guildID = guildID
        self.type = type
        self.name = name
        self.parentID = parentID
        self.position = position
        self.overwrites = overwrites
    }

    public func encoded() -> [UInt8] {
        var writer = JSONWriter()
        write(to: &writer)
        return writer.bytes
    }

    public init(scanning bytes: [UInt8]) throws(WireError) {
        self = try JSONScanner.document("cache.channel answer", bytes) { try Self.read(from: &$0) }
    }

    func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.field("id", snowflake: id)
            object.field("guild_id", snowflake: guildID)
            object.field("type", type)
            object.field("name", name)
            if parentID != 0 { object.field("parent_id", snowflake: parentID) }
            object.field("position", position)
            object.key("permission_overwrites")
            object.array(overwrites) { writer, overwrite in
                writer.object {
                    $0.field("id", snowflake: overwrite.id)
                    $0.field("type", overwrite.isMember ? 1 : 0)
                    $0.field("allow", String(overwrite.allow))
                    $0.field("deny", String(overwrite.deny))
                }
            }
        }
    }

    static func read(from scanner: inout JSONScanner) throws -> CachedChannelDocument {
        var channel = CachedChannelDocument(id: 0, guildID: 0, type: 0, name: "", parentID: 0, position: 0, overwrites: [])
        try scanner.readObject { scanner, key in
            switch key {
            case "id": channel.id = try scanner.readSnowflakeLeniently() ?? 0
            case "guild_id": channel.guildID = try scanner.readSnowflakeLeniently() ?? 0
            case "type": channel.type = Int(try scanner.readInteger() ?? 0)
            case "name": channel.name = try scanner.readOptionalString() ?? ""
            case "parent_id": channel.parentID = try scanner.readSnowflakeLeniently() ?? 0
            case "position": channel.position = Int(try scanner.readInteger() ?? 0)
            case "permission_overwrites":
                try scanner.readArray { scanner, _ in
                    var overwrite = OverwriteDocument(id: 0, isMember: false, allow: 0, deny: 0)
                    try scanner.readObject { scanner, key in
                        switch key {
                        case "id": overwrite.id = try scanner.readSnowflakeLeniently() ?? 0
                        case "type": overwrite.isMember = try scanner.readInteger() == 1
                        case "allow": overwrite.allow = try scanner.readSnowflakeLeniently() ?? 0
                        case "deny": overwrite.deny = try scanner.readSnowflakeLeniently() ?? 0
                        default: try scanner.skipValue()
                        }
                    }
                    channel.overwrites.append(overwrite)
                }
            default: try scanner.skipValue()
            }
        }
        return channel
    }
}

/// The answer to `cache.guild`: the guild, its roles, channels and custom emojis.
public struct CachedGuildAnswer: WireDocument {
    public struct EmojiEntry: Sendable, Equatable {
        public var id: UInt64
        public var name: String

        public init(id: UInt64, name: String) {
            self.id = id
            self.name = name
        }
    }

    public var id: UInt64
    public var name: String
    public var ownerID: UInt64
    public var memberCount: Int
    public var roles: [CachedRoleDocument]
    public var channels: [CachedChannelDocument]
    public var emojis: [EmojiEntry]
    /// The position of the bot's highest role: it gives and takes only roles below it.
    public var botPosition: Int

    public init(id: UInt64, name: String, ownerID: UInt64, memberCount: Int, roles: [CachedRoleDocument],
                channels: [CachedChannelDocument], emojis: [EmojiEntry], botPosition: Int = 0) {
        self.id = id
        self.name = name
        self.ownerID = ownerID
        self.memberCount = memberCount
        self.roles = roles
        self.channels = channels
        self.emojis = emojis
        self.botPosition = botPosition
    }

    public func encoded() -> [UInt8] {
        var writer = JSONWriter()
        writer.object { object in
            object.field("id", snowflake: id)
            object.field("name", name)
            object.field("owner_id", snowflake: ownerID)
            object.field("member_count", memberCount)
            object.field("bot_position", botPosition)
            object.key("roles")
            object.array(roles) { writer, role in
                writer.object {
                    $0.field("id", snowflake: role.id)
                    $0.field("name", role.name)
                    $0.field("position", role.position)
                    $0.field("permissions", String(role.permissions))
                    $0.field("color", role.color)
                }
            }
            object.key("channels")
            object.array(channels) { $1.write(to: &$0) }
            object.key("emojis")
            object.array(emojis) { writer, emoji in
                writer.object {
                    $0.field("id", snowflake: emoji.id)
                    $0.field("name", emoji.name)
                }
            }
        }
        return writer.bytes
    }

    public init(scanning bytes: [UInt8]) throws(WireError) {
        var guild = CachedGuildAnswer(id: 0, name: "", ownerID: 0, memberCount: 0, roles: [], channels: [], emojis: [])
        try JSONScanner.document("cache.guild answer", bytes) { scanner in
            try scanner.readObject { scanner, key in
                switch key {
                case "id": guild.id = try scanner.readSnowflakeLeniently() ?? 0
                case "name": guild.name = try scanner.readOptionalString() ?? ""
                case "owner_id": guild.ownerID = try scanner.readSnowflakeLeniently() ?? 0
                case "member_count": guild.memberCount = Int(try scanner.readInteger() ?? 0)
                case "bot_position": guild.botPosition = Int(try scanner.readInteger() ?? 0)
                case "roles":
                    try scanner.readArray { scanner, _ in
                        var role = CachedRoleDocument(id: 0, name: "", position: 0, permissions: 0, color: 0)
                        try scanner.readObject { scanner, key in
                            switch key {
                            case "id": role.id = try scanner.readSnowflakeLeniently() ?? 0
                            case "name": role.name = try scanner.readOptionalString() ?? ""
                            case "position": role.position = Int(try scanner.readInteger() ?? 0)
                            case "permissions": role.permissions = try scanner.readSnowflakeLeniently() ?? 0
                            case "color": role.color = Int(try scanner.readInteger() ?? 0)
                            default: try scanner.skipValue()
                            }
                        }
                        guild.roles.append(role)
                    }
                case "channels":
                    try scanner.readArray { scanner, _ in guild.channels.append(try CachedChannelDocument.read(from: &scanner)) }
                case "emojis":
                    try scanner.readArray { scanner, _ in
                        var emoji = EmojiEntry(id: 0, name: "")
                        try scanner.readObject { scanner, key in
                            switch key {
                            case "id": emoji.id = try scanner.readSnowflakeLeniently() ?? 0
                            case "name": emoji.name = try scanner.readOptionalString() ?? ""
                            default: try scanner.skipValue()
                            }
                        }
                        guild.emojis.append(emoji)
                    }
                default: try scanner.skipValue()
                }
            }
        }
        self = guild
    }
}

/// The answer to `cache.member`: a guild member as the cache holds it.
public struct CachedMemberAnswer: WireDocument {
    public var guildID: UInt64
    public var userID: UInt64
    public var username: String
    public var globalName: String?
    public var nick: String?
    public var roles: [UInt64]
    public var joinedAt: String?
    public var timedOutUntil: String?

    public init(guildID: UInt64, userID: UInt64, username: String, globalName: String?, nick: String?, roles: [UInt64],
                joinedAt: String?, timedOutUntil: String?) {
        self.guildID = guildID
        self.userID = userID
        self.username = username
        self.globalName = globalName
        self.nick = nick
        self.roles = roles
        self.joinedAt = joinedAt
        self.timedOutUntil = timedOutUntil
    }

    public func encoded() -> [UInt8] {
        var writer = JSONWriter()
        writer.object { object in
            object.field("guild_id", snowflake: guildID)
            object.key("user")
            object.object { user in
                user.field("id", snowflake: userID)
                user.field("username", username)
                if let globalName { user.field("global_name", globalName) }
            }
            if let nick { object.field("nick", nick) }
            object.key("roles")
            object.array(roles) { $0.string(String($1)) }
            if let joinedAt { object.field("joined_at", joinedAt) }
            if let timedOutUntil { object.field("communication_disabled_until", timedOutUntil) }
        }
        return writer.bytes
    }

    public init(scanning bytes: [UInt8]) throws(WireError) {
        var member = CachedMemberAnswer(guildID: 0, userID: 0, username: "", globalName: nil, nick: nil, roles: [], joinedAt: nil,
                                        timedOutUntil: nil)
        try JSONScanner.document("cache.member answer", bytes) { scanner in
            try scanner.readObject { scanner, key in
                switch key {
                case "guild_id": member.guildID = try scanner.readSnowflakeLeniently() ?? 0
                case "user":
                    try scanner.readObject { scanner, key in
                        switch key {
                        case "id": member.userID = try scanner.readSnowflakeLeniently() ?? 0
                        case "username": member.username = try scanner.readOptionalString() ?? ""
                        case "global_name": member.globalName = try scanner.readOptionalString()
                        default: try scanner.skipValue()
                        }
                    }
                case "nick": member.nick = try scanner.readOptionalString()
                case "roles": try scanner.readArray { scanner, _ in if let id = try scanner.readSnowflakeLeniently() { member.roles.append(id) } }
                case "joined_at": member.joinedAt = try scanner.readOptionalString()
                case "communication_disabled_until": member.timedOutUntil = try scanner.readOptionalString()
                default: try scanner.skipValue()
                }
            }
        }
        self = member
    }
}

/// The answer to `cache.role_members`: the cached members of a guild with a role.
public struct RoleMembersAnswer: WireDocument {
    public var userIDs: [UInt64]

    public init(userIDs: [UInt64]) { self.userIDs = userIDs }

    public func encoded() -> [UInt8] {
        var writer = JSONWriter()
        writer.object { object in
            object.key("user_ids")
            object.array(userIDs) { $0.string(String($1)) }
        }
        return writer.bytes
    }

    public init(scanning bytes: [UInt8]) throws(WireError) {
        var ids: [UInt64] = []
        try JSONScanner.document("cache.role_members answer", bytes) { scanner in
            try scanner.readObject { scanner, key in
                guard key == "user_ids" else {
                    try scanner.skipValue()
                    return
                }
                try scanner.readArray { scanner, _ in if let id = try scanner.readSnowflakeLeniently() { ids.append(id) } }
            }
        }
        self.init(userIDs: ids)
    }
}

/// The answer to `cache.permissions`: the permission bits, as Discord writes them (a decimal string).
public struct PermissionsAnswer: WireDocument {
    public var permissions: UInt64

    public init(permissions: UInt64) { self.permissions = permissions }

    public func encoded() -> [UInt8] {
        var writer = JSONWriter()
        writer.object { $0.field("permissions", String(permissions)) }
        return writer.bytes
    }

    public init(scanning bytes: [UInt8]) throws(WireError) {
        var permissions: UInt64?
        try JSONScanner.document("cache.permissions answer", bytes) { scanner in
            try scanner.readObject { scanner, key in
                if key == "permissions" { permissions = try scanner.readSnowflakeLeniently() } else { try scanner.skipValue() }
            }
        }
        guard let permissions else { throw WireError(field: "cache.permissions answer", problem: "has no \"permissions\"") }
        self.init(permissions: permissions)
    }
}

/// The answer to `cache.message`: a recent message, also once deleted (`deleted: true`).
public struct CachedMessageAnswer: WireDocument {
    public var id: UInt64
    public var channelID: UInt64
    public var guildID: UInt64
    public var authorID: UInt64
    public var content: String
    public var deleted: Bool
    /// The content before the last edit, when the cache saw one.
    public var previousContent: String?

    public init(id: UInt64, channelID: UInt64, guildID: UInt64, authorID: UInt64, content: String, deleted: Bool,
                previousContent: String? = nil) {
        self.id = id
        self.channelID = channelID
        self.guildID = guildID
        self.authorID = authorID
        self.content = content
        self.deleted = deleted
        self.previousContent = previousContent
    }

    public func encoded() -> [UInt8] {
        var writer = JSONWriter()
        writer.object { object in
            object.field("id", snowflake: id)
            object.field("channel_id", snowflake: channelID)
            if guildID != 0 { object.field("guild_id", snowflake: guildID) }
            object.field("author_id", snowflake: authorID)
            object.field("content", content)
            object.field("deleted", deleted)
            if let previousContent { object.field("previous_content", previousContent) }
        }
        return writer.bytes
    }

    public init(scanning bytes: [UInt8]) throws(WireError) {
        var message = CachedMessageAnswer(id: 0, channelID: 0, guildID: 0, authorID: 0, content: "", deleted: false)
        try JSONScanner.document("cache.message answer", bytes) { scanner in
            try scanner.readObject { scanner, key in
                switch key {
                case "id": message.id = try scanner.readSnowflakeLeniently() ?? 0
                case "channel_id": message.channelID = try scanner.readSnowflakeLeniently() ?? 0
                case "guild_id": message.guildID = try scanner.readSnowflakeLeniently() ?? 0
                case "author_id": message.authorID = try scanner.readSnowflakeLeniently() ?? 0
                case "content": message.content = try scanner.readOptionalString() ?? ""
                case "deleted": message.deleted = try scanner.readBool() ?? false
                case "previous_content": message.previousContent = try scanner.readOptionalString()
                default: try scanner.skipValue()
                }
            }
        }
        self = message
    }
}
