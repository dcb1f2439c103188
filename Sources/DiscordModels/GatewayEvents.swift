// The parts of Discord's objects the host reads. Every field a capture from an older API
// version may lack is optional, unknown fields are ignored, and enumerations stay raw
// numbers, so no payload fails to decode because Discord added something.

/// A user (`author`, `user`, `member.user`).
public struct DiscordUser: Codable, Sendable, Equatable {
    public var id: Snowflake
    public var username: String?
    public var globalName: String?
    public var bot: Bool?

    enum CodingKeys: String, CodingKey {
        case id, username, bot
        case globalName = "global_name"
    }
}

/// A guild member.
public struct GuildMember: Codable, Sendable, Equatable {
    public var user: DiscordUser?
    public var nick: String?
    public var roles: [Snowflake]?
    /// Total permissions of the member in the channel, on interactions.
    public var permissions: String?
}

/// An unavailable guild (READY) or a full guild (GUILD_CREATE).
public struct Guild: Decodable, Sendable {
    public var id: Snowflake
    public var name: String?
    public var unavailable: Bool?
    public var memberCount: Int?
    public var members: [GuildMember]?
    public var channels: [Channel]?
    public var roles: [Role]?

    public struct Channel: Decodable, Sendable {
        public var id: Snowflake
        public var type: Int
        public var name: String?
    }

    public struct Role: Decodable, Sendable {
        public var id: Snowflake
        public var name: String?
    }

    enum CodingKeys: String, CodingKey {
        case id, name, unavailable, members, channels, roles
        case memberCount = "member_count"
    }
}

/// READY: the session the gateway opened.
public struct ReadyEvent: Decodable, Sendable {
    public struct PartialApplication: Decodable, Sendable {
        public var id: Snowflake
    }

    public var version: Int?
    public var user: DiscordUser
    public var guilds: [Guild]
    public var sessionID: String
    /// Missing from captures older than 2022; resume on the original URL then.
    public var resumeGatewayURL: String?
    public var shard: [Int]?
    public var application: PartialApplication?

    enum CodingKeys: String, CodingKey {
        case user, guilds, shard, application
        case version = "v"
        case sessionID = "session_id"
        case resumeGatewayURL = "resume_gateway_url"
    }
}

/// MESSAGE_CREATE.
public struct Message: Decodable, Sendable {
    public var id: Snowflake
    public var channelID: Snowflake
    public var guildID: Snowflake?
    public var author: DiscordUser?
    public var content: String?
    public var type: Int?

    enum CodingKeys: String, CodingKey {
        case id, author, content, type
        case channelID = "channel_id"
        case guildID = "guild_id"
    }
}

/// INTERACTION_CREATE, for reading; the router itself scans only the routing facts.
public struct Interaction: Decodable, Sendable {
    public struct Data: Decodable, Sendable {
        public var id: Snowflake?
        public var name: String?
        public var type: Int?
        public var customID: String?

        enum CodingKeys: String, CodingKey {
            case id, name, type
            case customID = "custom_id"
        }
    }

    public var id: Snowflake
    public var applicationID: Snowflake?
    public var type: Int
    public var token: String
    public var data: Data?
    public var guildID: Snowflake?
    public var channelID: Snowflake?
    public var member: GuildMember?
    public var user: DiscordUser?
    public var locale: String?

    enum CodingKeys: String, CodingKey {
        case id, type, token, data, member, user, locale
        case applicationID = "application_id"
        case guildID = "guild_id"
        case channelID = "channel_id"
    }
}

/// A dispatch event (op 0) decoded by name; unknown names are kept, not failed.
public enum GatewayEvent: Sendable {
    case ready(ReadyEvent)
    case resumed
    case guildCreate(Guild)
    case messageCreate(Message)
    case interactionCreate(Interaction)
    /// An event with no typed model here; kept by name, not failed.
    case other(GatewayEventName)

    /// Decodes the `d` of dispatch `name`.
    public static func decode(name: GatewayEventName, data: [UInt8]) throws -> GatewayEvent {
        let decoder = JSONCoding.self
        switch name {
        case .ready: return .ready(try decoder.decode(ReadyEvent.self, from: data))
        case .resumed: return .resumed
        case .guildCreate: return .guildCreate(try decoder.decode(Guild.self, from: data))
        case .messageCreate: return .messageCreate(try decoder.decode(Message.self, from: data))
        case .interactionCreate: return .interactionCreate(try decoder.decode(Interaction.self, from: data))
        default: return .other(name)
        }
    }
}
