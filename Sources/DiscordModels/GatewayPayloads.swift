/// `d` of HELLO (op 10).
public struct GatewayHello: Codable, Sendable {
    /// Milliseconds between heartbeats.
    public var heartbeatInterval: Int

    public init(heartbeatInterval: Int) {
        self.heartbeatInterval = heartbeatInterval
    }

    enum CodingKeys: String, CodingKey {
        case heartbeatInterval = "heartbeat_interval"
    }
}

/// The answer of `GET /gateway/bot`: where to connect, how many shards, how many sessions
/// may still start.
public struct GatewayBotInfo: Codable, Sendable, Equatable {
    public struct SessionStartLimit: Codable, Sendable, Equatable {
        public var total: Int
        public var remaining: Int
        /// Milliseconds until `remaining` is reset.
        public var resetAfter: Int
        /// Identifies allowed per 5 seconds.
        public var maxConcurrency: Int

        public init(total: Int, remaining: Int, resetAfter: Int, maxConcurrency: Int) {
            self.total = total
            self.remaining = remaining
            self.resetAfter = resetAfter
            self.maxConcurrency = maxConcurrency
        }

        enum CodingKeys: String, CodingKey {
            case total, remaining
            case resetAfter = "reset_after"
            case maxConcurrency = "max_concurrency"
        }
    }

    public var url: String
    public var shards: Int
    public var sessionStartLimit: SessionStartLimit

    public init(url: String, shards: Int, sessionStartLimit: SessionStartLimit) {
        self.url = url
        self.shards = shards
        self.sessionStartLimit = sessionStartLimit
    }

    enum CodingKeys: String, CodingKey {
        case url, shards
        case sessionStartLimit = "session_start_limit"
    }
}

/// `d` of IDENTIFY (op 2).
public struct GatewayIdentify: Encodable, Sendable {
    public struct ConnectionProperties: Encodable, Sendable {
        public var os: String
        public var browser: String
        public var device: String
    }

    /// The presence the bot shows after connecting.
    public struct Presence: Encodable, Sendable, Equatable {
        public struct Activity: Encodable, Sendable, Equatable {
            public var name: String
            /// 0 playing, 2 listening, 3 watching, 4 custom, 5 competing.
            public var type: Int
        }

        public var since: Int?
        public var activities: [Activity]
        public var status: String
        public var afk: Bool

        /// `status` is online, idle, dnd or invisible; `activity` shows as "Playing …".
        public init(status: String = "online", activity: String? = nil) {
            self.since = nil
            self.activities = activity.map { [Activity(name: $0, type: 0)] } ?? []
            self.status = status
            self.afk = false
        }
    }

    public var token: String
    public var properties: ConnectionProperties
    public var compress: Bool
    public var largeThreshold: Int
    public var shard: [Int]
    public var presence: Presence?
    public var intents: UInt64

    public init(token: String, intents: GatewayIntents, shard: Int, shardCount: Int, presence: Presence?, largeThreshold: Int = 250) {
        self.token = token
        self.properties = ConnectionProperties(os: "linux", browser: "cogwheel", device: "cogwheel")
        self.compress = false
        self.largeThreshold = largeThreshold
        self.shard = [shard, shardCount]
        self.presence = presence
        self.intents = intents.rawValue
    }

    enum CodingKeys: String, CodingKey {
        case token, properties, compress, shard, presence, intents
        case largeThreshold = "large_threshold"
    }
}

/// Op 8, Request Guild Members: the whole member list with `query` "" and `limit` 0, which
/// needs the GUILD_MEMBERS intent. Discord answers with GUILD_MEMBERS_CHUNK dispatches.
public struct GatewayRequestGuildMembers: Codable, Sendable, Equatable {
    public var guildID: Snowflake
    public var query: String
    public var limit: Int

    public init(guildID: Snowflake, query: String = "", limit: Int = 0) {
        self.guildID = guildID
        self.query = query
        self.limit = limit
    }

    enum CodingKeys: String, CodingKey {
        case guildID = "guild_id"
        case query, limit
    }
}

/// `d` of RESUME (op 6).
public struct GatewayResume: Codable, Sendable {
    public var token: String
    public var sessionID: String
    public var sequence: Int64

    public init(token: String, sessionID: String, sequence: Int64) {
        self.token = token
        self.sessionID = sessionID
        self.sequence = sequence
    }

    enum CodingKeys: String, CodingKey {
        case token
        case sessionID = "session_id"
        case sequence = "seq"
    }
}

/// A frame the bot sends: `{"op":…,"d":…}`.
public struct GatewayOutboundFrame<Payload: Encodable>: Encodable {
    public var opcode: GatewayOpcode
    public var data: Payload

    public init(opcode: GatewayOpcode, data: Payload) {
        self.opcode = opcode
        self.data = data
    }

    enum CodingKeys: String, CodingKey {
        case opcode = "op"
        case data = "d"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(opcode.rawValue, forKey: .opcode)
        try container.encode(data, forKey: .data)
    }
}
