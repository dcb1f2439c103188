/// A request through `call_service` (docs/cog-abi.md, "Services that take a while").
///
/// ```swift
/// let bytes = ServiceRequest.addReaction(channel: 12, message: 34, emoji: "👍").encoded()
/// // {"service":"discord.add_reaction","channel_id":"12","message_id":"34","emoji":"👍"}
/// ```
public enum ServiceRequest: WireDocument {
    /// `discord.send_message`: post `message` (a Discord message object) to a channel, as a
    /// reply to `replyTo` when set, with `files` attached.
    case sendMessage(channel: UInt64, message: [UInt8], replyTo: UInt64? = nil, files: [FileUpload] = [])
    /// `discord.send_dm`: open a direct message channel with a user and post `message` in it.
    case sendDirectMessage(user: UInt64, message: [UInt8], files: [FileUpload] = [])
    /// `discord.edit_message`: replace a message the cog posted.
    case editMessage(channel: UInt64, message: UInt64, body: [UInt8])
    /// `discord.delete_message`: delete a message the cog posted, or any with `messages.manage`.
    case deleteMessage(channel: UInt64, message: UInt64, reason: String? = nil)
    /// `discord.add_reaction`: react with a Unicode emoji or `name:id`.
    case addReaction(channel: UInt64, message: UInt64, emoji: String)
    /// `discord.fetch_message`: one message, as Discord's message object.
    case fetchMessage(channel: UInt64, message: UInt64)
    /// `discord.fetch_messages`: the channel's most recent messages (1–100), older than `before` when set.
    case fetchMessages(channel: UInt64, limit: Int, before: UInt64?)
    /// `discord.bulk_delete`: delete 2–100 messages younger than 14 days at once.
    case bulkDelete(channel: UInt64, messages: [UInt64], reason: String?)
    /// `discord.pin_message` (`pinned`) or `discord.unpin_message`.
    case pin(channel: UInt64, message: UInt64, pinned: Bool, reason: String?)
    /// `discord.add_role` (`adding`) or `discord.remove_role`: a member's role.
    case memberRole(guild: UInt64, user: UInt64, role: UInt64, adding: Bool, reason: String?)
    /// `discord.set_nickname`: a member's nickname; `nil` resets it.
    case setNickname(guild: UInt64, user: UInt64, nickname: String?, reason: String?)
    /// `discord.timeout`: time a member out until a unix time (`until`), or for a while on the
    /// host's clock (`for_seconds`); `nil` lifts it.
    case timeout(guild: UInt64, user: UInt64, until: RunTime?, reason: String?)
    /// `discord.kick`: remove a member from the guild.
    case kick(guild: UInt64, user: UInt64, reason: String?)
    /// `discord.ban`: ban a user, deleting their messages of the last `deleteMessageSeconds`.
    case ban(guild: UInt64, user: UInt64, deleteMessageSeconds: Int, reason: String?)
    /// `discord.unban`: lift a ban.
    case unban(guild: UInt64, user: UInt64, reason: String?)
    /// `discord.create_role`: a new role in the guild.
    case createRole(guild: UInt64, fields: RoleFields, reason: String?)
    /// `discord.edit_role`: change a role.
    case editRole(guild: UInt64, role: UInt64, fields: RoleFields, reason: String?)
    /// `discord.delete_role`: delete a role.
    case deleteRole(guild: UInt64, role: UInt64, reason: String?)
    /// `discord.create_thread`: a thread from a message, or (without one) in a channel.
    case createThread(channel: UInt64, message: UInt64?, name: String, autoArchiveMinutes: Int?, isPrivate: Bool, reason: String?)
    /// `discord.archive_thread`: archive a thread, and lock it when `locked`.
    case archiveThread(thread: UInt64, locked: Bool, reason: String?)
    /// `discord.add_thread_member`: add a member to a thread.
    case addThreadMember(thread: UInt64, user: UInt64)
    /// `discord.follow_up`: another message answering an interaction the cog answered.
    case followUp(interaction: UInt64, message: [UInt8], files: [FileUpload] = [])
    /// `discord.edit_follow_up`: replace a follow-up, or the original answer when `message` is `nil`.
    case editFollowUp(interaction: UInt64, message: UInt64?, body: [UInt8])
    /// `discord.delete_follow_up`: delete a follow-up, or the original answer when `message` is `nil`.
    case deleteFollowUp(interaction: UInt64, message: UInt64?)
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

    /// A file attached to a message: `{"name":"report.txt","data_base64":"…"}`.
    public struct FileUpload: Sendable, Equatable {
        public var name: String
        public var data: [UInt8]

        public init(name: String, data: [UInt8]) {
            self.name = name
            self.data = data
        }
    }

    /// The fields of a role to create or change; `nil` ones are left as they are (Discord's
    /// defaults on create). `permissions` is the bit set, written as a number as Discord's
    /// OpenAPI spec types it (a string reads too).
    public struct RoleFields: Sendable, Equatable {
        public var name: String?
        public var permissions: UInt64?
        public var color: Int?
        public var hoist: Bool?
        public var mentionable: Bool?

        public init(name: String? = nil, permissions: UInt64? = nil, color: Int? = nil, hoist: Bool? = nil, mentionable: Bool? = nil) {
            self.name = name
            self.permissions = permissions
            self.color = color
            self.hoist = hoist
            self.mentionable = mentionable
        }

        /// Discord's role object body for `POST`/`PATCH …/roles`.
        public func encoded() -> [UInt8] {
            var writer = JSONWriter()
            writer.object { object in
                if let name { object.field("name", name) }
                if let permissions { object.field("permissions", Int64(bitPattern: permissions)) }
                if let color { object.field("color", color) }
                if let hoist { object.field("hoist", hoist) }
                if let mentionable { object.field("mentionable", mentionable) }
            }
            return writer.bytes
        }

        fileprivate static func scan(_ scanner: inout JSONScanner) throws -> RoleFields {
            var fields = RoleFields()
            try scanner.readObject { scanner, key in
                switch key {
                case "name": fields.name = try scanner.readOptionalString()
                case "permissions": fields.permissions = try scanner.readSnowflakeLeniently()
                case "color": fields.color = try scanner.readInteger().map { Int(clamping: $0) }
                case "hoist": fields.hoist = try scanner.readBool()
                case "mentionable": fields.mentionable = try scanner.readBool()
                default: try scanner.skipValue()
                }
            }
            return fields
        }
    }

    /// The `service` name on the wire.
    public var service: String {
        switch self {
        case .sendMessage: "discord.send_message"
        case .sendDirectMessage: "discord.send_dm"
        case .editMessage: "discord.edit_message"
        case .deleteMessage: "discord.delete_message"
        case .addReaction: "discord.add_reaction"
        case .fetchMessage: "discord.fetch_message"
        case .fetchMessages: "discord.fetch_messages"
        case .bulkDelete: "discord.bulk_delete"
        case .pin(_, _, let pinned, _): pinned ? "discord.pin_message" : "discord.unpin_message"
        case .memberRole(_, _, _, let adding, _): adding ? "discord.add_role" : "discord.remove_role"
        case .setNickname: "discord.set_nickname"
        case .timeout: "discord.timeout"
        case .kick: "discord.kick"
        case .ban: "discord.ban"
        case .unban: "discord.unban"
        case .createRole: "discord.create_role"
        case .editRole: "discord.edit_role"
        case .deleteRole: "discord.delete_role"
        case .createThread: "discord.create_thread"
        case .archiveThread: "discord.archive_thread"
        case .addThreadMember: "discord.add_thread_member"
        case .followUp: "discord.follow_up"
        case .editFollowUp: "discord.edit_follow_up"
        case .deleteFollowUp: "discord.delete_follow_up"
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
            func message(_ key: String, _ body: [UInt8]) {
                object.key(key)
                object.raw(body)
            }
            func files(_ files: [FileUpload]) {
                guard !files.isEmpty else { return }
                object.key("files")
                object.array(files) { writer, file in
                    writer.object {
                        $0.field("name", file.name)
                        $0.field("data_base64", Base64.encode(file.data))
                    }
                }
            }
            func reason(_ reason: String?) {
                if let reason { object.field("reason", reason) }
            }
            switch self {
            case .sendMessage(let channel, let body, let replyTo, let attached):
                object.field("channel_id", snowflake: channel)
                message("message", body)
                if let replyTo { object.field("reply_to", snowflake: replyTo) }
                files(attached)
            case .sendDirectMessage(let user, let body, let attached):
                object.field("user_id", snowflake: user)
                message("message", body)
                files(attached)
            case .editMessage(let channel, let id, let body):
                object.field("channel_id", snowflake: channel)
                object.field("message_id", snowflake: id)
                message("message", body)
            case .deleteMessage(let channel, let id, let why):
                object.field("channel_id", snowflake: channel)
                object.field("message_id", snowflake: id)
                reason(why)
            case .addReaction(let channel, let id, let emoji):
                object.field("channel_id", snowflake: channel)
                object.field("message_id", snowflake: id)
                object.field("emoji", emoji)
            case .fetchMessage(let channel, let id):
                object.field("channel_id", snowflake: channel)
                object.field("message_id", snowflake: id)
            case .fetchMessages(let channel, let limit, let before):
                object.field("channel_id", snowflake: channel)
                object.field("limit", limit)
                if let before { object.field("before", snowflake: before) }
            case .bulkDelete(let channel, let ids, let why):
                object.field("channel_id", snowflake: channel)
                object.key("message_ids")
                object.array(ids) { $0.string(String($1)) }
                reason(why)
            case .pin(let channel, let id, _, let why):
                object.field("channel_id", snowflake: channel)
                object.field("message_id", snowflake: id)
                reason(why)
            case .memberRole(let guild, let user, let role, _, let why):
                object.field("guild_id", snowflake: guild)
                object.field("user_id", snowflake: user)
                object.field("role_id", snowflake: role)
                reason(why)
            case .setNickname(let guild, let user, let nickname, let why):
                object.field("guild_id", snowflake: guild)
                object.field("user_id", snowflake: user)
                object.key("nick")
                if let nickname { object.string(nickname) } else { object.null() }
                reason(why)
            case .timeout(let guild, let user, let until, let why):
                object.field("guild_id", snowflake: guild)
                object.field("user_id", snowflake: user)
                switch until {
                case .at(let time): object.field("until", time)
                case .after(let seconds): object.field("for_seconds", seconds)
                case nil:
                    object.key("until")
                    object.null()
                }
                reason(why)
            case .kick(let guild, let user, let why), .unban(let guild, let user, let why):
                object.field("guild_id", snowflake: guild)
                object.field("user_id", snowflake: user)
                reason(why)
            case .ban(let guild, let user, let seconds, let why):
                object.field("guild_id", snowflake: guild)
                object.field("user_id", snowflake: user)
                object.field("delete_message_seconds", seconds)
                reason(why)
            case .createRole(let guild, let fields, let why):
                object.field("guild_id", snowflake: guild)
                message("role", fields.encoded())
                reason(why)
            case .editRole(let guild, let role, let fields, let why):
                object.field("guild_id", snowflake: guild)
                object.field("role_id", snowflake: role)
                message("role", fields.encoded())
                reason(why)
            case .deleteRole(let guild, let role, let why):
                object.field("guild_id", snowflake: guild)
                object.field("role_id", snowflake: role)
                reason(why)
            case .createThread(let channel, let from, let name, let minutes, let isPrivate, let why):
                object.field("channel_id", snowflake: channel)
                if let from { object.field("message_id", snowflake: from) }
                object.field("name", name)
                if let minutes { object.field("auto_archive_minutes", minutes) }
                if isPrivate { object.field("private", true) }
                reason(why)
            case .archiveThread(let thread, let locked, let why):
                object.field("channel_id", snowflake: thread)
                if locked { object.field("locked", true) }
                reason(why)
            case .addThreadMember(let thread, let user):
                object.field("channel_id", snowflake: thread)
                object.field("user_id", snowflake: user)
            case .followUp(let interaction, let body, let attached):
                object.field("interaction_id", snowflake: interaction)
                message("message", body)
                files(attached)
            case .editFollowUp(let interaction, let id, let body):
                object.field("interaction_id", snowflake: interaction)
                if let id { object.field("message_id", snowflake: id) }
                message("message", body)
            case .deleteFollowUp(let interaction, let id):
                object.field("interaction_id", snowflake: interaction)
                if let id { object.field("message_id", snowflake: id) }
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
            case .cacheMessage(let channel, let id):
                object.field("channel_id", snowflake: channel)
                object.field("message_id", snowflake: id)
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
                case "interaction_id": fields.interaction = try scanner.readSnowflakeLeniently()
                case "reply_to": fields.replyTo = try scanner.readSnowflakeLeniently()
                case "before": fields.before = try scanner.readSnowflakeLeniently()
                case "message_ids":
                    guard scanner.peekKind() == .array else { throw WireError(field: "message_ids", problem: "must be an array of snowflakes") }
                    fields.messages = try scanner.readSnowflakes()
                case "message":
                    let isObject = scanner.peekKind() == .object
                    let range = try scanner.skipValue()
                    fields.body = isObject ? Array(bytes[range]) : nil
                case "role":
                    guard scanner.peekKind() == .object else { throw WireError(field: "role", problem: "must be an object") }
                    fields.roleFields = try RoleFields.scan(&scanner)
                case "files":
                    guard scanner.peekKind() == .array else { throw WireError(field: "files", problem: "must be an array") }
                    try scanner.readArray { scanner, index in fields.files.append(try Self.scanFile(&scanner, "files[\(index)]")) }
                case "emoji": fields.emoji = try scanner.readOptionalString()
                case "name": fields.name = try scanner.readOptionalString()
                case "nick":
                    fields.nickSet = true
                    fields.nick = try scanner.readOptionalString()
                case "until":
                    fields.untilSet = true
                    fields.until = try scanner.skipNull() ? nil : try scanner.readDouble()
                case "for_seconds":
                    fields.untilSet = true
                    fields.forSeconds = try scanner.readDouble()
                case "reason": fields.reason = try scanner.readOptionalString()
                case "limit": fields.limit = try scanner.readInteger()
                case "delete_message_seconds": fields.deleteSeconds = try scanner.readInteger()
                case "auto_archive_minutes": fields.autoArchive = try scanner.readInteger()
                case "private": fields.isPrivate = try scanner.readBool() ?? false
                case "locked": fields.locked = try scanner.readBool() ?? false
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

    private static func scanFile(_ scanner: inout JSONScanner, _ field: String) throws -> FileUpload {
        var name: String?
        var encoded: String?
        guard scanner.peekKind() == .object else { throw WireError(field: field, problem: "must be an object") }
        try scanner.readObject { scanner, key in
            switch key {
            case "name": name = try scanner.readOptionalString()
            case "data_base64": encoded = try scanner.readOptionalString()
            default: try scanner.skipValue()
            }
        }
        guard let name, !name.isEmpty else { throw WireError(field: "\(field).name", problem: "must be a file name") }
        guard let encoded, let data = Base64.decode(encoded) else {
            throw WireError(field: "\(field).data_base64", problem: "must be the file's bytes in padded base64")
        }
        return FileUpload(name: name, data: data)
    }

    /// Every field any service takes, as scanned; ``request()`` checks the service's own.
    private struct Fields {
        var service: String?
        var channel: UInt64?
        var message: UInt64?
        var guild: UInt64?
        var user: UInt64?
        var role: UInt64?
        var interaction: UInt64?
        var replyTo: UInt64?
        var before: UInt64?
        var messages: [UInt64]?
        var body: [UInt8]?
        var roleFields: RoleFields?
        var files: [FileUpload] = []
        var emoji: String?
        var name: String?
        var nickSet = false
        var nick: String?
        var untilSet = false
        var until: Double?
        var forSeconds: Double?
        var reason: String?
        var limit: Int64?
        var deleteSeconds: Int64?
        var autoArchive: Int64?
        var isPrivate = false
        var locked = false
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
            func channelID() throws(WireError) -> UInt64 { try need(channel, "channel_id", "a snowflake") }
            func messageID() throws(WireError) -> UInt64 { try need(message, "message_id", "a snowflake") }
            func guildID() throws(WireError) -> UInt64 { try need(guild, "guild_id", "a snowflake") }
            func userID() throws(WireError) -> UInt64 { try need(user, "user_id", "a snowflake") }
            func roleID() throws(WireError) -> UInt64 { try need(role, "role_id", "a snowflake") }
            func messageBody() throws(WireError) -> [UInt8] { try need(body, "message", "an object") }
            func interactionID() throws(WireError) -> UInt64 { try need(interaction, "interaction_id", "a snowflake") }
            switch service {
            case "discord.send_message":
                return .sendMessage(channel: try channelID(), message: try messageBody(), replyTo: replyTo, files: files)
            case "discord.send_dm":
                return .sendDirectMessage(user: try userID(), message: try messageBody(), files: files)
            case "discord.edit_message":
                return .editMessage(channel: try channelID(), message: try messageID(), body: try messageBody())
            case "discord.delete_message":
                return .deleteMessage(channel: try channelID(), message: try messageID(), reason: reason)
            case "discord.add_reaction":
                return .addReaction(channel: try channelID(), message: try messageID(), emoji: try need(emoji, "emoji", "a string"))
            case "discord.fetch_message":
                return .fetchMessage(channel: try channelID(), message: try messageID())
            case "discord.fetch_messages":
                return .fetchMessages(channel: try channelID(), limit: Int(clamping: limit ?? 50), before: before)
            case "discord.bulk_delete":
                return .bulkDelete(channel: try channelID(), messages: try need(messages, "message_ids", "an array of snowflakes"), reason: reason)
            case "discord.pin_message", "discord.unpin_message":
                return .pin(channel: try channelID(), message: try messageID(), pinned: service == "discord.pin_message", reason: reason)
            case "discord.add_role", "discord.remove_role":
                return .memberRole(guild: try guildID(), user: try userID(), role: try roleID(), adding: service == "discord.add_role",
                                   reason: reason)
            case "discord.set_nickname":
                guard nickSet else { throw WireError(field: "\(service).nick", problem: "must be a string, or null to reset it") }
                return .setNickname(guild: try guildID(), user: try userID(), nickname: nick, reason: reason)
            case "discord.timeout":
                guard untilSet else {
                    throw WireError(field: "\(service).until", problem: "must be a unix time in seconds (or for_seconds a duration), or null to lift it")
                }
                let end: RunTime? = if let forSeconds { .after(seconds: forSeconds) } else { until.map(RunTime.at) }
                return .timeout(guild: try guildID(), user: try userID(), until: end, reason: reason)
            case "discord.kick":
                return .kick(guild: try guildID(), user: try userID(), reason: reason)
            case "discord.ban":
                return .ban(guild: try guildID(), user: try userID(), deleteMessageSeconds: Int(clamping: deleteSeconds ?? 0), reason: reason)
            case "discord.unban":
                return .unban(guild: try guildID(), user: try userID(), reason: reason)
            case "discord.create_role":
                return .createRole(guild: try guildID(), fields: roleFields ?? RoleFields(), reason: reason)
            case "discord.edit_role":
                return .editRole(guild: try guildID(), role: try roleID(), fields: try need(roleFields, "role", "an object"), reason: reason)
            case "discord.delete_role":
                return .deleteRole(guild: try guildID(), role: try roleID(), reason: reason)
            case "discord.create_thread":
                return .createThread(channel: try channelID(), message: message, name: try need(name, "name", "a string"),
                                     autoArchiveMinutes: autoArchive.map { Int(clamping: $0) }, isPrivate: isPrivate, reason: reason)
            case "discord.archive_thread":
                return .archiveThread(thread: try channelID(), locked: locked, reason: reason)
            case "discord.add_thread_member":
                return .addThreadMember(thread: try channelID(), user: try userID())
            case "discord.follow_up":
                return .followUp(interaction: try interactionID(), message: try messageBody(), files: files)
            case "discord.edit_follow_up":
                return .editFollowUp(interaction: try interactionID(), message: message, body: try messageBody())
            case "discord.delete_follow_up":
                return .deleteFollowUp(interaction: try interactionID(), message: message)
            case "jobs.schedule":
                let when: RunTime = if let afterSeconds { .after(seconds: afterSeconds) } else { .at(try need(at, "at", "a number")) }
                return .scheduleJob(job: try need(job, "job", "a string"), state: try need(state, "state", "a string"), when: when)
            case "jobs.cancel":
                return .cancelJob(job: try need(job, "job", "a string"), state: try need(state, "state", "a string"))
            case "activity.guild":
                return .guildActivity(guild: try guildID(), day: day)
            case "cache.guild":
                return .cacheGuild(guild: try guildID())
            case "cache.channel":
                return .cacheChannel(channel: try channelID())
            case "cache.member":
                return .cacheMember(guild: try guildID(), user: try userID())
            case "cache.role_members":
                return .cacheRoleMembers(guild: try guildID(), role: try roleID())
            case "cache.permissions":
                return .cachePermissions(guild: try guildID(), user: try userID(), channel: channel)
            case "cache.message":
                return .cacheMessage(channel: try channelID(), message: try messageID())
            default:
                throw WireError(field: "service request", problem: "names an unknown service '\(service)'")
            }
        }
    }
}

/// The answer to `discord.create_role`, `discord.create_thread`: the id of what was made.
public struct CreatedAnswer: WireDocument {
    public var id: UInt64

    public init(id: UInt64) { self.id = id }

    public func encoded() -> [UInt8] {
        var writer = JSONWriter()
        writer.object { $0.field("id", snowflake: id) }
        return writer.bytes
    }

    public init(scanning bytes: [UInt8]) throws(WireError) {
        var id: UInt64?
        try JSONScanner.document("created answer", bytes) { scanner in
            try scanner.readObject { scanner, key in
                if key == "id" { id = try scanner.readSnowflakeLeniently() } else { try scanner.skipValue() }
            }
        }
        guard let id else { throw WireError(field: "created answer", problem: "has no id") }
        self.init(id: id)
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
