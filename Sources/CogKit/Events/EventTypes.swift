/// The payloads of the gateway events CogKit types. Every field Discord may leave out is
/// optional or has a default, and enum-like values stay raw numbers, so a new Discord value
/// never fails a decode.

/// A message (MESSAGE_CREATE, MESSAGE_UPDATE). Reading `content` needs the MESSAGE_CONTENT
/// intent (``Intent/messageContent``); without it Discord sends it empty.
public struct Message: Sendable, Decodable {
    public let id: Snowflake
    public let channelID: Snowflake
    public let guildID: Snowflake?
    /// Absent in some MESSAGE_UPDATE payloads.
    public let author: User?
    public let content: String
    /// The author's membership in the guild, for a guild message.
    public let member: Member.Partial?
    /// Users mentioned in the message.
    public let mentions: [User]
    public let editedTimestamp: String?
    /// Set for messages a webhook posted.
    public let webhookID: Snowflake?
    /// Discord's message type (0 for a normal message).
    public let type: Int

    enum CodingKeys: String, CodingKey {
        case id, author, content, member, mentions, type
        case channelID = "channel_id", guildID = "guild_id", editedTimestamp = "edited_timestamp", webhookID = "webhook_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Snowflake.self, forKey: .id)
        channelID = try container.decode(Snowflake.self, forKey: .channelID)
        guildID = try container.decodeIfPresent(Snowflake.self, forKey: .guildID)
        author = try container.decodeIfPresent(User.self, forKey: .author)
        content = try container.decodeIfPresent(String.self, forKey: .content) ?? ""
        member = try container.decodeIfPresent(Member.Partial.self, forKey: .member)
        mentions = try container.decodeIfPresent([User].self, forKey: .mentions) ?? []
        editedTimestamp = try container.decodeIfPresent(String.self, forKey: .editedTimestamp)
        webhookID = try container.decodeIfPresent(Snowflake.self, forKey: .webhookID)
        type = try container.decodeIfPresent(Int.self, forKey: .type) ?? 0
    }
}

/// A deleted message (MESSAGE_DELETE): only its ids; Discord does not resend the content.
public struct MessageDeletion: Sendable, Decodable {
    public let id: Snowflake
    public let channelID: Snowflake
    public let guildID: Snowflake?

    enum CodingKeys: String, CodingKey {
        case id
        case channelID = "channel_id", guildID = "guild_id"
    }
}

/// Messages deleted at once (MESSAGE_DELETE_BULK).
public struct BulkMessageDeletion: Sendable, Decodable {
    public let ids: [Snowflake]
    public let channelID: Snowflake
    public let guildID: Snowflake?

    enum CodingKeys: String, CodingKey {
        case ids
        case channelID = "channel_id", guildID = "guild_id"
    }
}

/// A member of a guild (GUILD_MEMBER_ADD, GUILD_MEMBER_UPDATE).
public struct Member: Sendable, Decodable {
    /// The membership fields Discord sends inside other objects (a message's `member`).
    public struct Partial: Sendable, Decodable {
        public let nick: String?
        public let roles: [Snowflake]
        public let joinedAt: String?

        enum CodingKeys: String, CodingKey {
            case nick, roles
            case joinedAt = "joined_at"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            nick = try container.decodeIfPresent(String.self, forKey: .nick)
            roles = try container.decodeIfPresent([Snowflake].self, forKey: .roles) ?? []
            joinedAt = try container.decodeIfPresent(String.self, forKey: .joinedAt)
        }
    }

    public let guildID: Snowflake
    public let user: User
    /// The member's nickname in the guild.
    public let nick: String?
    public let roles: [Snowflake]
    public let joinedAt: String?

    /// The name shown in the guild: the nickname, else the user's display name.
    public var displayName: String { nick ?? user.displayName }

    enum CodingKeys: String, CodingKey {
        case user, nick, roles
        case guildID = "guild_id", joinedAt = "joined_at"
    }

    init(guildID: Snowflake, user: User, nick: String?, roles: [Snowflake], joinedAt: String?) {
        self.guildID = guildID
        self.user = user
        self.nick = nick
        self.roles = roles
        self.joinedAt = joinedAt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guildID = try container.decode(Snowflake.self, forKey: .guildID)
        user = try container.decode(User.self, forKey: .user)
        nick = try container.decodeIfPresent(String.self, forKey: .nick)
        roles = try container.decodeIfPresent([Snowflake].self, forKey: .roles) ?? []
        joinedAt = try container.decodeIfPresent(String.self, forKey: .joinedAt)
    }
}

/// A member who left or was removed (GUILD_MEMBER_REMOVE), or a ban (GUILD_BAN_ADD/REMOVE).
public struct GuildUser: Sendable, Decodable {
    public let guildID: Snowflake
    public let user: User

    enum CodingKeys: String, CodingKey {
        case user
        case guildID = "guild_id"
    }
}

/// An emoji in a reaction: a Unicode one has only a name; a custom one has an id too.
public struct Emoji: Sendable, Decodable, Equatable {
    public let id: Snowflake?
    public let name: String?

    /// What to pass to ``DiscordClient/react(with:to:)``: the character, or `name:id`.
    public var text: String {
        if let id { return "\(name ?? ""):\(id)" }
        return name ?? ""
    }
}

/// A reaction added or removed (MESSAGE_REACTION_ADD, MESSAGE_REACTION_REMOVE).
public struct Reaction: Sendable, Decodable {
    public let userID: Snowflake
    public let channelID: Snowflake
    public let messageID: Snowflake
    public let guildID: Snowflake?
    public let emoji: Emoji

    /// The message the reaction is on, for ``DiscordClient/react(with:to:)``.
    public var message: SentMessage { SentMessage(channelID: channelID, id: messageID) }

    enum CodingKeys: String, CodingKey {
        case emoji
        case userID = "user_id", channelID = "channel_id", messageID = "message_id", guildID = "guild_id"
    }
}

/// Every reaction removed from a message (MESSAGE_REACTION_REMOVE_ALL).
public struct ReactionsCleared: Sendable, Decodable {
    public let channelID: Snowflake
    public let messageID: Snowflake
    public let guildID: Snowflake?

    enum CodingKeys: String, CodingKey {
        case channelID = "channel_id", messageID = "message_id", guildID = "guild_id"
    }
}

/// A guild the bot is in (GUILD_CREATE, GUILD_UPDATE).
public struct Guild: Sendable, Decodable {
    public let id: Snowflake
    public let name: String?
    public let ownerID: Snowflake?
    public let memberCount: Int?

    enum CodingKeys: String, CodingKey {
        case id, name
        case ownerID = "owner_id", memberCount = "member_count"
    }
}

/// A guild the bot left or lost (GUILD_DELETE).
public struct GuildRemoval: Sendable, Decodable {
    public let id: Snowflake
    /// `true` when Discord had an outage: the bot is still in the guild.
    public let unavailable: Bool?
}

/// A role created or changed (GUILD_ROLE_CREATE, GUILD_ROLE_UPDATE).
public struct RoleChange: Sendable, Decodable {
    public struct Details: Sendable, Decodable {
        public let id: Snowflake
        public let name: String
        public let color: Int?
        public let position: Int?
        /// The permission bits, as Discord sends them (a decimal string).
        public let permissions: String?
        public let managed: Bool?
    }

    public let guildID: Snowflake
    public let role: Details

    enum CodingKeys: String, CodingKey {
        case role
        case guildID = "guild_id"
    }
}

/// A deleted role (GUILD_ROLE_DELETE).
public struct RoleDeletion: Sendable, Decodable {
    public let guildID: Snowflake
    public let roleID: Snowflake

    enum CodingKeys: String, CodingKey {
        case guildID = "guild_id", roleID = "role_id"
    }
}

/// A channel or thread created, changed or deleted (CHANNEL_*, THREAD_*).
public struct ChannelChange: Sendable, Decodable {
    public let id: Snowflake
    /// Discord's channel type (0 text, 2 voice, 11 public thread, …).
    public let type: Int
    public let guildID: Snowflake?
    public let name: String?
    /// The category of a channel, or the channel of a thread.
    public let parentID: Snowflake?

    /// Mention text that Discord renders as a link to the channel.
    public var mention: String { "<#\(id)>" }

    enum CodingKeys: String, CodingKey {
        case id, type, name
        case guildID = "guild_id", parentID = "parent_id"
    }
}

/// A member's voice state (VOICE_STATE_UPDATE): `channelID` is `nil` when they left voice.
public struct VoiceState: Sendable, Decodable {
    public let guildID: Snowflake?
    public let channelID: Snowflake?
    public let userID: Snowflake
    public let selfMute: Bool
    public let selfDeaf: Bool

    enum CodingKeys: String, CodingKey {
        case guildID = "guild_id", channelID = "channel_id", userID = "user_id", selfMute = "self_mute", selfDeaf = "self_deaf"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guildID = try container.decodeIfPresent(Snowflake.self, forKey: .guildID)
        channelID = try container.decodeIfPresent(Snowflake.self, forKey: .channelID)
        userID = try container.decode(Snowflake.self, forKey: .userID)
        selfMute = try container.decodeIfPresent(Bool.self, forKey: .selfMute) ?? false
        selfDeaf = try container.decodeIfPresent(Bool.self, forKey: .selfDeaf) ?? false
    }
}

/// The session is ready (READY): the bot's own user and the guilds it is in.
public struct SessionReady: Sendable, Decodable {
    public struct GuildEntry: Sendable, Decodable { public let id: Snowflake }

    public let user: User
    public let guilds: [GuildEntry]
}
