/// A request through `call_service` (docs/cog-abi.md, "Services that take a while").
///
/// ```swift
/// let bytes = ServiceRequest.addReaction(channel: 12, message: 34, emoji: "👍").encoded()
/// // {"service":"discord.add_reaction","channel_id":"12","message_id":"34","emoji":"👍"}
/// ```
public enum ServiceRequest: WireDocument {
    /// `discord.send_message`: post `message` (a Discord message object) to a channel.
    case sendMessage(channel: UInt64, message: [UInt8])
    /// `discord.edit_message`: replace a message the cog posted.
    case editMessage(channel: UInt64, message: UInt64, body: [UInt8])
    /// `discord.delete_message`: delete a message the cog posted.
    case deleteMessage(channel: UInt64, message: UInt64)
    /// `discord.add_reaction`: react with a Unicode emoji or `name:id`.
    case addReaction(channel: UInt64, message: UInt64, emoji: String)
    /// `jobs.schedule`: run a declared job once, with a state.
    case scheduleJob(job: String, state: String, when: RunTime)
    /// `jobs.cancel`: cancel a run scheduled with that job and state.
    case cancelJob(job: String, state: String)
    /// `activity.guild`: a guild's command counts for a day (`nil`: yesterday).
    case guildActivity(guild: UInt64, day: String?)
    /// `cache.guild`: the cached guild with its roles, channels and emojis.
    case cacheGuild(guild: UInt64)
    /// `cache.channel`: a cached channel or thread with its overwrites.
    case cacheChannel(channel: UInt64)
    /// `cache.member`: a cached member.
    case cacheMember(guild: UInt64, user: UInt64)
    /// `cache.role_members`: the cached members with a role.
    case cacheRoleMembers(guild: UInt64, role: UInt64)
    /// `cache.permissions`: a member's permissions in the guild, or in one of its channels.
    case cachePermissions(guild: UInt64, user: UInt64, channel: UInt64?)
    /// `cache.message`: a recent message, also once deleted.
    case cacheMessage(channel: UInt64, message: UInt64)

    /// When a scheduled run is due.
    public enum RunTime: Sendable, Equatable {
        /// At a unix time, in seconds.
        case at(Double)
        /// After a delay on the host's clock, in seconds.
        case after(seconds: Double)
    }

    /// The `service` name on the wire.
    public var service: String {
        switch self {
        case .sendMessage: "discord.send_message"
        case .editMessage: "discord.edit_message"
        case .deleteMessage: "discord.delete_message"
        case .addReaction: "discord.add_reaction"
        case .scheduleJob: "jobs.schedule"
        case .cancelJob: "jobs.cancel"
        case .guildActivity: "activity.guild"
        case .cacheGuild: "cache.guild"
        case .cacheChannel: "cache.channel"
        case .cacheMember: "cache.member"
        case .cacheRoleMembers: "cache.role_members"
        case .cachePermissions: "cache.permissions"
        case .cacheMessage: "cache.message"
        }
    }

    public func encoded() -> [UInt8] {
        var writer = JSONWriter()
        writer.object { object in
            object.field("service", service)
            switch self {
            case .sendMessage(let channel, let message):
                object.field("channel_id", snowflake: channel)
                object.key("message")
                object.raw(message)
            case .editMessage(let channel, let message, let body):
                object.field("channel_id", snowflake: channel)
                object.field("message_id", snowflake: message)
                object.key("message")
                object.raw(body)
            case .deleteMessage(let channel, let message):
                object.field("channel_id", snowflake: channel)
                object.field("message_id", snowflake: message)
            case .addReaction(let channel, let message, let emoji):
                object.field("channel_id", snowflake: channel)
                object.field("message_id", snowflake: message)
                object.field("emoji", emoji)
            case .scheduleJob(let job, let state, let when):
                object.field("job", job)
                object.field("state", state)
                switch when {
                case .at(let time): object.field("at", time)
                case .after(let seconds): object.field("after_seconds", seconds)
                }
            case .cancelJob(let job, let state):
                object.field("job", job)
                object.field("state", state)
            case .guildActivity(let guild, let day):
                object.field("guild_id", snowflake: guild)
                if let day { object.field("day", day) }
            case .cacheGuild(let guild):
                object.field("guild_id", snowflake: guild)
            case .cacheChannel(let channel):
                object.field("channel_id", snowflake: channel)
            case .cacheMember(let guild, let user):
                object.field("guild_id", snowflake: guild)
                object.field("user_id", snowflake: user)
            case .cacheRoleMembers(let guild, let role):
                object.field("guild_id", snowflake: guild)
                object.field("role_id", snowflake: role)
            case .cachePermissions(let guild, let user, let channel):
                object.field("guild_id", snowflake: guild)
                object.field("user_id", snowflake: user)
                if let channel { object.field("channel_id", snowflake: channel) }
            case .cacheMessage(let channel, let message):
                object.field("channel_id", snowflake: channel)
                object.field("message_id", snowflake: message)
            }
        }
        return writer.bytes
    }

    public init(scanning bytes: [UInt8]) throws(WireError) {
        var fields = Fields()
        try JSONScanner.document("service request", bytes) { scanner in
            guard scanner.peekKind() == .object else {
                throw WireError(field: "service request", problem: "must be a JSON object with a \"service\" name")
            }
            try scanner.readObject { scanner, key in
                switch key {
                case "service": fields.service = try scanner.readOptionalString()
                case "channel_id": fields.channel = try scanner.readSnowflakeLeniently()
                case "message_id": fields.message = try scanner.readSnowflakeLeniently()
                case "guild_id": fields.guild = try scanner.readSnowflakeLeniently()
                case "user_id": fields.user = try scanner.readSnowflakeLeniently()
                case "role_id": fields.role = try scanner.readSnowflakeLeniently()
                case "message":
                    let isObject = scanner.peekKind() == .object
                    let range = try scanner.skipValue()
                    fields.body = isObject ? Array(bytes[range]) : nil
                case "emoji": fields.emoji = try scanner.readOptionalString()
                case "job": fields.job = try scanner.readOptionalString()
                case "state": fields.state = try scanner.readOptionalString()
                case "day": fields.day = try scanner.readOptionalString()
                case "at": fields.at = try scanner.readDouble()
                case "after_seconds": fields.afterSeconds = try scanner.readDouble()
                default: try scanner.skipValue()
                }
            }
        }
        self = try fields.request()
    }

    /// Every field any service takes, as scanned; ``request()`` checks the service's own.
    private struct Fields {
        var service: String?
        var channel: UInt64?
        var message: UInt64?
        var guild: UInt64?
        var user: UInt64?
        var role: UInt64?
        var body: [UInt8]?
        var emoji: String?
        var job: String?
        var state: String?
        var day: String?
        var at: Double?
        var afterSeconds: Double?

        func request() throws(WireError) -> ServiceRequest {
            guard let service else {
                throw WireError(field: "service request", problem: "must be a JSON object with a \"service\" name")
            }
            func need<Value>(_ value: Value?, _ key: String, _ kind: String) throws(WireError) -> Value {
                guard let value else { throw WireError(field: "\(service).\(key)", problem: "must be \(kind)") }
                return value
            }
            switch service {
            case "discord.send_message":
                return .sendMessage(channel: try need(channel, "channel_id", "a snowflake"),
                                    message: try need(body, "message", "an object"))
            case "discord.edit_message":
                return .editMessage(channel: try need(channel, "channel_id", "a snowflake"),
                                    message: try need(message, "message_id", "a snowflake"),
                                    body: try need(body, "message", "an object"))
            case "discord.delete_message":
                return .deleteMessage(channel: try need(channel, "channel_id", "a snowflake"),
                                      message: try need(message, "message_id", "a snowflake"))
            case "discord.add_reaction":
                return .addReaction(channel: try need(channel, "channel_id", "a snowflake"),
                                    message: try need(message, "message_id", "a snowflake"),
                                    emoji: try need(emoji, "emoji", "a string"))
            case "jobs.schedule":
                let when: RunTime = if let afterSeconds { .after(seconds: afterSeconds) } else { .at(try need(at, "at", "a number")) }
                return .scheduleJob(job: try need(job, "job", "a string"), state: try need(state, "state", "a string"), when: when)
            case "jobs.cancel":
                return .cancelJob(job: try need(job, "job", "a string"), state: try need(state, "state", "a string"))
            case "activity.guild":
                return .guildActivity(guild: try need(guild, "guild_id", "a snowflake"), day: day)
            case "cache.guild":
                return .cacheGuild(guild: try need(guild, "guild_id", "a snowflake"))
            case "cache.channel":
                return .cacheChannel(channel: try need(channel, "channel_id", "a snowflake"))
            case "cache.member":
                return .cacheMember(guild: try need(guild, "guild_id", "a snowflake"), user: try need(user, "user_id", "a snowflake"))
            case "cache.role_members":
                return .cacheRoleMembers(guild: try need(guild, "guild_id", "a snowflake"), role: try need(role, "role_id", "a snowflake"))
            case "cache.permissions":
                return .cachePermissions(guild: try need(guild, "guild_id", "a snowflake"), user: try need(user, "user_id", "a snowflake"),
                                         channel: channel)
            case "cache.message":
                return .cacheMessage(channel: try need(channel, "channel_id", "a snowflake"),
                                     message: try need(message, "message_id", "a snowflake"))
            default:
                throw WireError(field: "service request", problem: "names an unknown service '\(service)'")
            }
        }
    }
}

/// The answer to `discord.send_message`: where the message went.
public struct SentMessageAnswer: WireDocument {
    public var channel: UInt64
    public var message: UInt64

    public init(channel: UInt64, message: UInt64) {
        self.channel = channel
        self.message = message
    }

    public func encoded() -> [UInt8] {
        var writer = JSONWriter()
        writer.object {
            $0.field("channel_id", snowflake: channel)
            $0.field("message_id", snowflake: message)
        }
        return writer.bytes
    }

    public init(scanning bytes: [UInt8]) throws(WireError) {
        var channel: UInt64?
        var message: UInt64?
        try JSONScanner.document("send_message answer", bytes) { scanner in
            try scanner.readObject { scanner, key in
                switch key {
                case "channel_id": channel = try scanner.readSnowflakeLeniently()
                case "message_id": message = try scanner.readSnowflakeLeniently()
                default: try scanner.skipValue()
                }
            }
        }
        guard let channel, let message else {
            throw WireError(field: "send_message answer", problem: "has no channel_id and message_id")
        }
        self.init(channel: channel, message: message)
    }
}

/// The answer of the services that only succeed or fail: `{}`.
public struct EmptyAnswer: WireDocument {
    public init() {}

    public func encoded() -> [UInt8] { Array("{}".utf8) }

    public init(scanning bytes: [UInt8]) throws(WireError) {
        try JSONScanner.document("answer", bytes) { try $0.readObject { scanner, _ in try scanner.skipValue() } }
    }
}

/// The answer to `jobs.schedule`: when the run is due, in unix seconds.
public struct ScheduledRunAnswer: WireDocument {
    public var at: Double

    public init(at: Double) { self.at = at }

    public func encoded() -> [UInt8] {
        var writer = JSONWriter()
        writer.object { $0.field("at", at) }
        return writer.bytes
    }

    public init(scanning bytes: [UInt8]) throws(WireError) {
        var at: Double?
        try JSONScanner.document("jobs.schedule answer", bytes) { scanner in
            try scanner.readObject { scanner, key in
                if key == "at" { at = try scanner.readDouble() } else { try scanner.skipValue() }
            }
        }
        guard let at else { throw WireError(field: "jobs.schedule answer", problem: "has no \"at\" number") }
        self.init(at: at)
    }
}

/// The answer to `jobs.cancel`: whether a run was pending.
public struct CancelledRunAnswer: WireDocument {
    public var cancelled: Bool

    public init(cancelled: Bool) { self.cancelled = cancelled }

    public func encoded() -> [UInt8] {
        var writer = JSONWriter()
        writer.object { $0.field("cancelled", cancelled) }
        return writer.bytes
    }

    public init(scanning bytes: [UInt8]) throws(WireError) {
        var cancelled: Bool?
        try JSONScanner.document("jobs.cancel answer", bytes) { scanner in
            try scanner.readObject { scanner, key in
                if key == "cancelled" { cancelled = try scanner.readBool() } else { try scanner.skipValue() }
            }
        }
        guard let cancelled else { throw WireError(field: "jobs.cancel answer", problem: "has no \"cancelled\" boolean") }
        self.init(cancelled: cancelled)
    }
}

/// The answer to `activity.guild`: one day's command counts in a guild.
public struct GuildActivityAnswer: WireDocument {
    /// One command's uses.
    public struct CommandUses: Sendable, Equatable {
        public var command: String
        public var uses: Int64

        public init(command: String, uses: Int64) {
            self.command = command
            self.uses = uses
        }
    }

    /// `YYYY-MM-DD`, UTC.
    public var day: String
    public var commands: Int64
    public var players: Int64
    /// The most used commands, most first (at most 10).
    public var top: [CommandUses]

    public init(day: String, commands: Int64, players: Int64, top: [CommandUses]) {
        self.day = day
        self.commands = commands
        self.players = players
        self.top = top
    }

    public func encoded() -> [UInt8] {
        var writer = JSONWriter()
        writer.object { object in
            object.field("commands", commands)
            object.field("day", day)
            object.field("players", players)
            object.key("top")
            object.array(top) { writer, entry in
                writer.object {
                    $0.field("command", entry.command)
                    $0.field("uses", entry.uses)
                }
            }
        }
        return writer.bytes
    }

    public init(scanning bytes: [UInt8]) throws(WireError) {
        var answer = GuildActivityAnswer(day: "", commands: 0, players: 0, top: [])
        try JSONScanner.document("activity.guild answer", bytes) { scanner in
            try scanner.readObject { scanner, key in
                switch key {
                case "day": answer.day = try scanner.readOptionalString() ?? ""
                case "commands": answer.commands = try scanner.readInteger() ?? 0
                case "players": answer.players = try scanner.readInteger() ?? 0
                case "top":
                    try scanner.readArray { scanner, _ in
                        var entry = CommandUses(command: "", uses: 0)
                        try scanner.readObject { scanner, key in
                            switch key {
                            case "command": entry.command = try scanner.readOptionalString() ?? ""
                            case "uses": entry.uses = try scanner.readInteger() ?? 0
                            default: try scanner.skipValue()
                            }
                        }
                        answer.top.append(entry)
                    }
                default: try scanner.skipValue()
                }
            }
        }
        self = answer
    }
}
