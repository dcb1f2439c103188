import CogWire
import DiscordCache
import DiscordModels
import DiscordREST
import Foundation

/// Turns one cog's Discord action into the request the host sends, after every check the host
/// can make first: the capability (declared, and not denied by the operator), the scope (a
/// guild that did not turn the cog off, a channel its work points to), and, from the cache,
/// what Discord itself would refuse (the bot's permission in the channel, the role hierarchy,
/// the guild owner, Discord's limits). A refusal is a ``ServiceError`` whose message the cog
/// can show, and the predictable 403s never reach Discord or its invalid-request budget.
///
/// Pure but for the cache and the reach it reads, so each rule has a test without sockets. The
/// benchmarks time it through `@_spi(Benchmarks)`.
@_spi(Benchmarks) public struct DiscordActionPlanner {
    let cog: String
    /// The capabilities the cog declared, known or not.
    let declared: Set<CogCapability>
    let denials: CapabilityDenials
    let cache: GuildCache
    let reach: CogReach
    /// Whether an admin turned the cog off in a guild.
    let isDisabled: (UInt64) -> Bool
    /// Whether one of the cog's guild settings (its key–value entries for that guild) names the channel.
    let hasStoredChannel: (_ guild: UInt64, _ channel: UInt64) -> Bool
    /// Whether the cog posted that message.
    let ownsMessage: (_ channel: UInt64, _ message: UInt64) -> Bool
    let now: Date

    @_spi(Benchmarks) public init(
        cog: String, declared: Set<CogCapability>, denials: CapabilityDenials, cache: GuildCache, reach: CogReach,
        isDisabled: @escaping (UInt64) -> Bool, hasStoredChannel: @escaping (_ guild: UInt64, _ channel: UInt64) -> Bool,
        ownsMessage: @escaping (_ channel: UInt64, _ message: UInt64) -> Bool, now: Date
    ) {
        self.cog = cog
        self.declared = declared
        self.denials = denials
        self.cache = cache
        self.reach = reach
        self.isDisabled = isDisabled
        self.hasStoredChannel = hasStoredChannel
        self.ownsMessage = ownsMessage
        self.now = now
    }

    /// Discord's limits that the host checks before sending.
    enum Limits {
        static let files = 10
        /// Discord's upload limit for a guild without boosts, per message.
        static let uploadBytes = 10 << 20
        static let bulkDeleteAge: TimeInterval = 14 * 86_400
        static let longestTimeout: TimeInterval = 28 * 86_400
        static let longestBanHistory = 604_800
        static let nickname = 32
        static let roleName = 100
        static let threadName = 100
        static let archiveMinutes: Set<Int> = [60, 1_440, 4_320, 10_080]
    }

    /// The capability a Discord service needs first; `nil` for the host's other services.
    /// Files need ``CogCapability/files`` besides, and another's message ``CogCapability/messagesManage``.
    static func capability(for request: ServiceRequest) -> CogCapability? {
        switch request {
        case .sendDirectMessage: .dm
        case .sendMessage, .followUp, .editMessage, .deleteMessage, .addReaction, .fetchMessage, .fetchMessages, .editFollowUp,
             .deleteFollowUp:
            .messagesSend
        case .bulkDelete, .pin: .messagesManage
        case .memberRole: .membersRoles
        case .setNickname: .membersNicknames
        case .timeout, .kick, .ban, .unban: .membersModerate
        case .createRole, .editRole, .deleteRole: .rolesManage
        case .createThread, .archiveThread, .addThreadMember: .threads
        case .scheduleJob, .cancelJob, .guildActivity, .cacheGuild, .cacheChannel, .cacheMember, .cacheRoleMembers,
             .cachePermissions, .cacheMessage:
            nil
        }
    }

    /// The capabilities the cog holds: declared, less what the operator denied.
    var granted: Set<CogCapability> { declared.filter { !denials.denies($0, to: cog) } }

    /// Throws unless the cog holds `capability`.
    func require(_ capability: CogCapability) throws(ServiceError) {
        guard declared.contains(capability) else {
            throw ServiceError(.denied, "cog \(cog) did not declare the capability '\(capability.rawValue)' (\(capability.summary)); add it to the cog's capabilities")
        }
        guard !denials.denies(capability, to: cog) else {
            throw ServiceError(.denied, "the operator denied cog \(cog) the capability '\(capability.rawValue)' (\(capability.summary))")
        }
    }

    // MARK: Messages

    /// `POST /channels/{channel}/messages`, to a channel the cog may post in.
    func sendMessage(channel: UInt64, body: [UInt8], replyTo: UInt64?, files: [ServiceRequest.FileUpload]) throws(ServiceError) -> DiscordRequest {
        try require(.messagesSend)
        if !files.isEmpty { try require(.files) }
        let guild = try postableChannel(channel)
        if let guild {
            var needed = PermissionComputation.viewChannel | sendPermission(in: channel)
            if !files.isEmpty { needed |= PermissionComputation.attachFiles }
            if replyTo != nil { needed |= PermissionComputation.readMessageHistory }
            try requireBot(needed, guild: guild, channel: channel)
        }
        return DiscordRequest(.channelMessages(.POST, channel: Snowflake(channel)),
                              body: try message(body, replyTo: replyTo, files: files), files: try uploads(files))
    }

    /// `PATCH …/messages/{message}` of a message the cog posted.
    func editMessage(channel: UInt64, message id: UInt64, body: [UInt8]) throws(ServiceError) -> DiscordRequest {
        try require(.messagesSend)
        try requireOwned(channel: channel, message: id)
        try requireNotTurnedOff(channel)
        return DiscordRequest(.channelMessage(.PATCH, channel: Snowflake(channel), message: Snowflake(id)),
                              body: try message(body, replyTo: nil, files: []))
    }

    /// `DELETE …/messages/{message}`: the cog's own, or any with `messages.manage` and Manage Messages.
    func deleteMessage(channel: UInt64, message id: UInt64, reason: String?) throws(ServiceError) -> DiscordRequest {
        try require(.messagesSend)
        try requireNotTurnedOff(channel)
        if !ownsMessage(channel, id) {
            guard granted.contains(.messagesManage) else {
                throw ServiceError(.denied, "message \(id) in channel \(channel) was not sent by cog \(cog); deleting others' messages needs the capability 'messages.manage'")
            }
            let guild = try guildChannel(channel).guildID
            try requireBot(PermissionComputation.manageMessages, guild: guild, channel: channel)
        }
        return DiscordRequest(.channelMessage(.DELETE, channel: Snowflake(channel), message: Snowflake(id)),
                              auditLogReason: reason)
    }

    /// `PUT …/reactions/{emoji}/@me`, in a guild that did not turn the cog off.
    func addReaction(channel: UInt64, message id: UInt64, emoji: String) throws(ServiceError) -> DiscordRequest {
        try require(.messagesSend)
        guard !emoji.isEmpty, emoji.utf8.count <= 100 else { throw ServiceError(.badRequest, "emoji must be a Unicode emoji or name:id") }
        if let guild = try readableChannel(channel) {
            try requireBot(PermissionComputation.viewChannel | PermissionComputation.readMessageHistory | PermissionComputation.addReactions,
                           guild: guild, channel: channel)
        }
        return DiscordRequest(.ownReaction(channel: Snowflake(channel), message: Snowflake(id), emoji: emoji))
    }

    /// `GET …/messages/{message}`.
    func fetchMessage(channel: UInt64, message id: UInt64) throws(ServiceError) -> DiscordRequest {
        try require(.messagesSend)
        try requireReadable(channel)
        return DiscordRequest(.channelMessage(.GET, channel: Snowflake(channel), message: Snowflake(id)))
    }

    /// `GET …/messages?limit=`: 1–100 of the most recent.
    func fetchMessages(channel: UInt64, limit: Int, before: UInt64?) throws(ServiceError) -> DiscordRequest {
        try require(.messagesSend)
        guard (1...100).contains(limit) else { throw ServiceError(.badRequest, "limit must be from 1 to 100 messages, not \(limit)") }
        try requireReadable(channel)
        var query = [("limit", String(limit))]
        if let before { query.append(("before", String(before))) }
        return DiscordRequest(.channelMessages(.GET, channel: Snowflake(channel)), query: query)
    }

    /// `POST …/messages/bulk-delete`: 2–100 distinct messages, none older than 14 days.
    func bulkDelete(channel: UInt64, messages: [UInt64], reason: String?) throws(ServiceError) -> DiscordRequest {
        try require(.messagesManage)
        guard (2...100).contains(messages.count) else {
            throw ServiceError(.badRequest, "a bulk delete takes 2 to 100 messages, not \(messages.count); delete one message with delete_message")
        }
        guard Set(messages).count == messages.count else { throw ServiceError(.badRequest, "a bulk delete names each message once") }
        if let old = messages.first(where: { now.timeIntervalSince(Snowflake($0).date) > Limits.bulkDeleteAge }) {
            throw ServiceError(.badRequest, "message \(old) is older than 14 days, which Discord does not bulk delete")
        }
        let guild = try guildChannel(channel).guildID
        try requireBot(PermissionComputation.manageMessages | PermissionComputation.readMessageHistory, guild: guild, channel: channel)
        var body = JSONWriter()
        body.object { object in
            object.key("messages")
            object.array(messages) { $0.string(String($1)) }
        }
        return DiscordRequest(.bulkDelete(channel: Snowflake(channel)), body: body.bytes, auditLogReason: reason)
    }

    /// `PUT`/`DELETE …/messages/pins/{message}`.
    func pin(channel: UInt64, message id: UInt64, pinned: Bool, reason: String?) throws(ServiceError) -> DiscordRequest {
        try require(.messagesManage)
        let guild = try guildChannel(channel).guildID
        try requireBot(PermissionComputation.manageMessages, guild: guild, channel: channel)
        return DiscordRequest(.pin(pinned ? .PUT : .DELETE, channel: Snowflake(channel), message: Snowflake(id)), auditLogReason: reason)
    }

    // MARK: Members

    /// `PUT`/`DELETE /guilds/{guild}/members/{user}/roles/{role}`, for a role below the bot's highest.
    @_spi(Benchmarks) public func memberRole(guild: UInt64, user: UInt64, role: UInt64, adding: Bool, reason: String?)
        throws(ServiceError) -> DiscordRequest {
        try require(.membersRoles)
        let cached = try enabledGuild(guild)
        try requireBot(PermissionComputation.manageRoles, guild: guild, channel: nil)
        try requireAssignable(role, in: cached)
        return DiscordRequest(.memberRole(adding ? .PUT : .DELETE, guild: Snowflake(guild), user: Snowflake(user), role: Snowflake(role)),
                              auditLogReason: reason)
    }

    /// `PATCH /guilds/{guild}/members/{user}` with `nick`.
    func setNickname(guild: UInt64, user: UInt64, nickname: String?, reason: String?) throws(ServiceError) -> DiscordRequest {
        try require(.membersNicknames)
        let cached = try enabledGuild(guild)
        if let nickname, nickname.unicodeScalars.count > Limits.nickname {
            throw ServiceError(.badRequest, "a nickname is at most \(Limits.nickname) characters, not \(nickname.unicodeScalars.count)")
        }
        if user != cache.botUserID {
            try requireBot(PermissionComputation.manageNicknames, guild: guild, channel: nil)
            try requireBelowBot(user, in: cached, doing: "change the nickname of")
        }
        var body = JSONWriter()
        body.object { object in
            object.key("nick")
            if let nickname { object.string(nickname) } else { object.null() }
        }
        return DiscordRequest(.member(.PATCH, guild: Snowflake(guild), user: Snowflake(user)), body: body.bytes, auditLogReason: reason)
    }

    /// `PATCH /guilds/{guild}/members/{user}` with `communication_disabled_until`: at most 28 days ahead.
    @_spi(Benchmarks) public func timeout(guild: UInt64, user: UInt64, until end: ServiceRequest.RunTime?, reason: String?)
        throws(ServiceError) -> DiscordRequest {
        try require(.membersModerate)
        let cached = try enabledGuild(guild)
        // A duration counts on the host's clock, which the cog test harness moves by hand.
        let until: Double? = switch end {
        case .at(let time): time
        case .after(let seconds): now.timeIntervalSince1970 + seconds
        case nil: nil
        }
        if let until {
            let seconds = until - now.timeIntervalSince1970
            guard seconds > 0, seconds <= Limits.longestTimeout else {
                throw ServiceError(.badRequest, "a timeout ends between now and 28 days from now")
            }
        }
        try requireBot(PermissionComputation.moderateMembers, guild: guild, channel: nil)
        try requireBelowBot(user, in: cached, doing: "time out")
        if until != nil, let permissions = cache.permissions(of: user, in: guild, now: now),
           permissions & PermissionComputation.administrator != 0 {
            throw ServiceError(.denied, "member \(user) has the Administrator permission, and Discord does not time out administrators")
        }
        var body = JSONWriter()
        body.object { object in
            object.key("communication_disabled_until")
            if let until { object.string(Self.timestamp(until)) } else { object.null() }
        }
        return DiscordRequest(.member(.PATCH, guild: Snowflake(guild), user: Snowflake(user)), body: body.bytes, auditLogReason: reason)
    }

    /// `DELETE /guilds/{guild}/members/{user}`.
    func kick(guild: UInt64, user: UInt64, reason: String?) throws(ServiceError) -> DiscordRequest {
        try require(.membersModerate)
        let cached = try enabledGuild(guild)
        try requireBot(PermissionComputation.kickMembers, guild: guild, channel: nil)
        try requireBelowBot(user, in: cached, doing: "kick")
        return DiscordRequest(.member(.DELETE, guild: Snowflake(guild), user: Snowflake(user)), auditLogReason: reason)
    }

    /// `PUT /guilds/{guild}/bans/{user}`, deleting up to 7 days of their messages.
    func ban(guild: UInt64, user: UInt64, deleteMessageSeconds: Int, reason: String?) throws(ServiceError) -> DiscordRequest {
        try require(.membersModerate)
        let cached = try enabledGuild(guild)
        guard (0...Limits.longestBanHistory).contains(deleteMessageSeconds) else {
            throw ServiceError(.badRequest, "a ban deletes at most 7 days (604800 seconds) of messages, not \(deleteMessageSeconds)")
        }
        try requireBot(PermissionComputation.banMembers, guild: guild, channel: nil)
        try requireBelowBot(user, in: cached, doing: "ban")
        var body = JSONWriter()
        body.object { $0.field("delete_message_seconds", deleteMessageSeconds) }
        return DiscordRequest(.ban(.PUT, guild: Snowflake(guild), user: Snowflake(user)), body: body.bytes, auditLogReason: reason)
    }

    /// `DELETE /guilds/{guild}/bans/{user}`.
    func unban(guild: UInt64, user: UInt64, reason: String?) throws(ServiceError) -> DiscordRequest {
        try require(.membersModerate)
        _ = try enabledGuild(guild)
        try requireBot(PermissionComputation.banMembers, guild: guild, channel: nil)
        return DiscordRequest(.ban(.DELETE, guild: Snowflake(guild), user: Snowflake(user)), auditLogReason: reason)
    }

    // MARK: Roles

    /// `POST /guilds/{guild}/roles`, with no permission the bot lacks.
    func createRole(guild: UInt64, fields: ServiceRequest.RoleFields, reason: String?) throws(ServiceError) -> DiscordRequest {
        try require(.rolesManage)
        _ = try enabledGuild(guild)
        try requireBot(PermissionComputation.manageRoles, guild: guild, channel: nil)
        try requireGrantable(fields, guild: guild)
        return DiscordRequest(.roles(guild: Snowflake(guild)), body: fields.encoded(), auditLogReason: reason)
    }

    /// `PATCH /guilds/{guild}/roles/{role}`, for a role below the bot's highest.
    func editRole(guild: UInt64, role: UInt64, fields: ServiceRequest.RoleFields, reason: String?) throws(ServiceError) -> DiscordRequest {
        try require(.rolesManage)
        let cached = try enabledGuild(guild)
        try requireBot(PermissionComputation.manageRoles, guild: guild, channel: nil)
        try requireAssignable(role, in: cached)
        try requireGrantable(fields, guild: guild)
        return DiscordRequest(.role(.PATCH, guild: Snowflake(guild), role: Snowflake(role)), body: fields.encoded(), auditLogReason: reason)
    }

    /// `DELETE /guilds/{guild}/roles/{role}`, for a role below the bot's highest.
    func deleteRole(guild: UInt64, role: UInt64, reason: String?) throws(ServiceError) -> DiscordRequest {
        try require(.rolesManage)
        let cached = try enabledGuild(guild)
        try requireBot(PermissionComputation.manageRoles, guild: guild, channel: nil)
        try requireAssignable(role, in: cached)
        return DiscordRequest(.role(.DELETE, guild: Snowflake(guild), role: Snowflake(role)), auditLogReason: reason)
    }

    // MARK: Threads

    /// `POST …/messages/{message}/threads`, or `POST …/threads` (a public or private thread without a message).
    func createThread(channel: UInt64, message: UInt64?, name: String, autoArchiveMinutes: Int?, isPrivate: Bool,
                      reason: String?) throws(ServiceError) -> DiscordRequest {
        try require(.threads)
        guard (1...Limits.threadName).contains(name.unicodeScalars.count) else {
            throw ServiceError(.badRequest, "a thread's name has 1 to \(Limits.threadName) characters")
        }
        if let autoArchiveMinutes, !Limits.archiveMinutes.contains(autoArchiveMinutes) {
            throw ServiceError(.badRequest, "a thread archives after 60, 1440, 4320 or 10080 minutes, not \(autoArchiveMinutes)")
        }
        guard let guild = try postableChannel(channel) else { throw ServiceError(.badRequest, "threads are made in guild channels, not DMs") }
        guard !(message != nil && isPrivate) else { throw ServiceError(.badRequest, "a thread from a message is public") }
        var needed = PermissionComputation.viewChannel
            | (isPrivate ? PermissionComputation.createPrivateThreads : PermissionComputation.createPublicThreads)
        if message != nil { needed |= PermissionComputation.readMessageHistory }
        try requireBot(needed, guild: guild, channel: channel)
        var body = JSONWriter()
        body.object { object in
            object.field("name", name)
            if let autoArchiveMinutes { object.field("auto_archive_duration", autoArchiveMinutes) }
            if message == nil { object.field("type", isPrivate ? 12 : 11) }
        }
        let route: DiscordRoute = message.map { .messageThread(channel: Snowflake(channel), message: Snowflake($0)) }
            ?? .channelThread(channel: Snowflake(channel))
        return DiscordRequest(route, body: body.bytes, auditLogReason: reason)
    }

    /// `PATCH /channels/{thread}` with `archived` (and `locked`).
    func archiveThread(thread: UInt64, locked: Bool, reason: String?) throws(ServiceError) -> DiscordRequest {
        try require(.threads)
        let channel = try guildChannel(thread)
        guard channel.isThread else { throw ServiceError(.badRequest, "channel \(thread) is not a thread") }
        if locked { try requireBot(PermissionComputation.manageThreads, guild: channel.guildID, channel: thread) }
        var body = JSONWriter()
        body.object { object in
            object.field("archived", true)
            if locked { object.field("locked", true) }
        }
        return DiscordRequest(.channel(.PATCH, channel: Snowflake(thread)), body: body.bytes, auditLogReason: reason)
    }

    /// `PUT /channels/{thread}/thread-members/{user}`.
    func addThreadMember(thread: UInt64, user: UInt64) throws(ServiceError) -> DiscordRequest {
        try require(.threads)
        let channel = try guildChannel(thread)
        guard channel.isThread else { throw ServiceError(.badRequest, "channel \(thread) is not a thread") }
        try requireBot(PermissionComputation.viewChannel | PermissionComputation.sendMessagesInThreads, guild: channel.guildID, channel: thread)
        return DiscordRequest(.threadMember(channel: Snowflake(thread), user: Snowflake(user)))
    }

    // MARK: Direct messages and follow-ups

    /// `POST /users/@me/channels`, for a user the cog's work came from or a member of a guild it serves.
    func openDirectMessage(user: UInt64, files: [ServiceRequest.FileUpload]) throws(ServiceError) -> DiscordRequest {
        try require(.dm)
        if !files.isEmpty { try require(.files) }
        guard user != cache.botUserID else { throw ServiceError(.badRequest, "the bot cannot message itself") }
        guard reach.reaches(user: user, cog: cog, now: now) || isMemberOfServedGuild(user) else {
            throw ServiceError(.denied, "user \(user) is neither the user of an interaction or event cog \(cog) was given in the last 15 minutes nor a member of a guild it serves")
        }
        var body = JSONWriter()
        body.object { $0.field("recipient_id", snowflake: user) }
        return DiscordRequest(.directMessageChannel, body: body.bytes)
    }

    /// `POST /channels/{dm}/messages` into a DM channel the host opened for the cog.
    func sendDirectMessage(channel: UInt64, body: [UInt8], files: [ServiceRequest.FileUpload]) throws(ServiceError) -> DiscordRequest {
        DiscordRequest(.channelMessages(.POST, channel: Snowflake(channel)), body: try message(body, replyTo: nil, files: files),
                       files: try uploads(files))
    }

    /// `POST /webhooks/{application}/{token}?wait=true`: a follow-up to an interaction the cog was given.
    func followUp(interaction id: UInt64, body: [UInt8], files: [ServiceRequest.FileUpload]) throws(ServiceError) -> DiscordRequest {
        try require(.messagesSend)
        if !files.isEmpty { try require(.files) }
        let interaction = try recentInteraction(id)
        return DiscordRequest(.followUp(application: Snowflake(interaction.applicationID), token: interaction.token),
                              query: [("wait", "true")], body: try message(body, replyTo: nil, files: files), files: try uploads(files))
    }

    /// `PATCH /webhooks/{application}/{token}/messages/{message}` (or `@original`).
    func editFollowUp(interaction id: UInt64, message: UInt64?, body: [UInt8]) throws(ServiceError) -> DiscordRequest {
        try require(.messagesSend)
        let interaction = try recentInteraction(id)
        let application = Snowflake(interaction.applicationID)
        let route: DiscordRoute = message.map { .followUpMessage(.PATCH, application: application, token: interaction.token, message: String($0)) }
            ?? .originalResponse(.PATCH, application: application, token: interaction.token)
        return DiscordRequest(route, body: try self.message(body, replyTo: nil, files: []))
    }

    /// `DELETE /webhooks/{application}/{token}/messages/{message}` (or `@original`).
    func deleteFollowUp(interaction id: UInt64, message: UInt64?) throws(ServiceError) -> DiscordRequest {
        try require(.messagesSend)
        let interaction = try recentInteraction(id)
        let application = Snowflake(interaction.applicationID)
        let route: DiscordRoute = message.map { .followUpMessage(.DELETE, application: application, token: interaction.token, message: String($0)) }
            ?? .originalResponse(.DELETE, application: application, token: interaction.token)
        return DiscordRequest(route)
    }

    // MARK: Checks

    /// The guild, cached and not turning the cog off.
    private func enabledGuild(_ guild: UInt64) throws(ServiceError) -> CachedGuild {
        guard let cached = cache.guild(guild) else {
            throw ServiceError(.notFound, "guild \(guild) is not a guild the bot is in (or its GUILD_CREATE has not arrived)")
        }
        guard !isDisabled(guild) else { throw ServiceError(.denied, "cog \(cog) is turned off in guild \(cached.name) (\(guild))") }
        return cached
    }

    /// Throws when `channel` is a cached channel of a guild that turned the cog off.
    private func requireNotTurnedOff(_ channel: UInt64) throws(ServiceError) {
        if let cached = cache.channel(channel) { _ = try enabledGuild(cached.guildID) }
    }

    /// A cached channel of a guild that did not turn the cog off.
    private func guildChannel(_ channel: UInt64) throws(ServiceError) -> CachedChannel {
        guard let cached = cache.channel(channel) else {
            throw ServiceError(.notFound, "channel \(channel) is not a channel the bot can see")
        }
        _ = try enabledGuild(cached.guildID)
        return cached
    }

    /// The guild of a channel the cog may post in (`nil` for a DM channel it opened): one its
    /// current work points to (an interaction's or event's channel, a thread of it), or one
    /// named by the cog's settings for that guild.
    private func postableChannel(_ channel: UInt64) throws(ServiceError) -> UInt64? {
        if cache.channel(channel) == nil, reach.reaches(channel: channel, cog: cog, now: now) { return nil }
        let cached = try guildChannel(channel)
        let pointed = reach.reaches(channel: channel, cog: cog, now: now)
            || (cached.isThread && reach.reaches(channel: cached.parentID, cog: cog, now: now))
            || hasStoredChannel(cached.guildID, channel)
        guard pointed else {
            throw ServiceError(.denied, "channel \(channel) is not one cog \(cog) is working in: a cog posts in the channel of an interaction or event it was given in the last 15 minutes, or one its settings for the guild name")
        }
        return cached.guildID
    }

    /// The guild of a channel the cog may read (`nil` for a DM channel it opened).
    private func readableChannel(_ channel: UInt64) throws(ServiceError) -> UInt64? {
        if cache.channel(channel) == nil, reach.reaches(channel: channel, cog: cog, now: now) { return nil }
        return try guildChannel(channel).guildID
    }

    private func requireReadable(_ channel: UInt64) throws(ServiceError) {
        if let guild = try readableChannel(channel) {
            try requireBot(PermissionComputation.viewChannel | PermissionComputation.readMessageHistory, guild: guild, channel: channel)
        }
    }

    /// SEND_MESSAGES_IN_THREADS in a thread, SEND_MESSAGES elsewhere.
    private func sendPermission(in channel: UInt64) -> UInt64 {
        cache.channel(channel)?.isThread == true ? PermissionComputation.sendMessagesInThreads : PermissionComputation.sendMessages
    }

    /// Throws unless the bot has every permission of `needed` in the guild (or the channel).
    /// When the cache does not hold the bot's member the check is left to Discord.
    private func requireBot(_ needed: UInt64, guild: UInt64, channel: UInt64?) throws(ServiceError) {
        guard let permissions = cache.permissions(of: cache.botUserID, in: guild, channel: channel, now: now) else { return }
        let missing = needed & ~permissions
        guard missing == 0 else {
            let place = channel.flatMap { cache.channel($0) }.map { "#\($0.name)" } ?? (cache.guild(guild)?.name ?? "guild \(guild)")
            throw ServiceError(.denied, "the bot lacks \(PermissionNames.list(missing)) in \(place); Discord would refuse it (50013 Missing Permissions)")
        }
    }

    /// The position of the bot's highest role (0 with none; the owner is above every role).
    private func botPosition(in guild: CachedGuild) -> Int {
        position(of: cache.botUserID, in: guild)
    }

    private func position(of user: UInt64, in guild: CachedGuild) -> Int {
        if guild.ownerID == user { return .max }
        return cache.member(user, in: guild.id)?.roles.compactMap { guild.roles[$0]?.position }.max() ?? 0
    }

    /// Throws unless the role may be given by the bot: not @everyone, not managed by an
    /// integration, and below the bot's highest role.
    private func requireAssignable(_ role: UInt64, in guild: CachedGuild) throws(ServiceError) {
        guard role != guild.id else { throw ServiceError(.badRequest, "@everyone is every member's role and cannot be given or taken") }
        guard let cached = guild.roles[role] else { throw ServiceError(.notFound, "role \(role) is not a role of \(guild.name)") }
        guard !cached.managed else { throw ServiceError(.denied, "role @\(cached.name) is managed by an integration, and only Discord gives it") }
        guard cached.position < botPosition(in: guild) else {
            throw ServiceError(.denied, "role @\(cached.name) is not below the bot's highest role; move the bot's role above it in Server Settings → Roles")
        }
    }

    /// Throws when the member is the owner, the bot, or not below the bot's highest role.
    private func requireBelowBot(_ user: UInt64, in guild: CachedGuild, doing action: String) throws(ServiceError) {
        guard user != guild.ownerID else { throw ServiceError(.denied, "the bot cannot \(action) the guild's owner") }
        guard user != cache.botUserID else { throw ServiceError(.badRequest, "the bot cannot \(action) itself") }
        // A user the cache does not hold (not a member, or members not cached) is Discord's to check.
        guard cache.member(user, in: guild.id) != nil else { return }
        guard position(of: user, in: guild) < botPosition(in: guild) else {
            throw ServiceError(.denied, "the bot cannot \(action) member \(user): their highest role is not below the bot's")
        }
    }

    /// Throws when the role would get a permission the bot lacks, which Discord refuses.
    private func requireGrantable(_ fields: ServiceRequest.RoleFields, guild: UInt64) throws(ServiceError) {
        if let name = fields.name, !(1...Limits.roleName).contains(name.unicodeScalars.count) {
            throw ServiceError(.badRequest, "a role's name has 1 to \(Limits.roleName) characters")
        }
        guard let wanted = fields.permissions,
              let own = cache.permissions(of: cache.botUserID, in: guild, now: now) else { return }
        let missing = wanted & ~own
        guard missing == 0 else {
            throw ServiceError(.denied, "the role would have \(PermissionNames.list(missing)), which the bot itself lacks; Discord would refuse it")
        }
    }

    private func requireOwned(channel: UInt64, message: UInt64) throws(ServiceError) {
        guard ownsMessage(channel, message) else {
            throw ServiceError(.denied, "message \(message) in channel \(channel) was not sent by cog \(cog); a cog may only change its own messages")
        }
    }

    private func recentInteraction(_ id: UInt64) throws(ServiceError) -> CogReach.Interaction {
        guard let interaction = reach.interaction(id, cog: cog, now: now) else {
            throw ServiceError(.notFound, "interaction \(id) is not one cog \(cog) was given in the last 15 minutes; its token has expired or was never the cog's")
        }
        return interaction
    }

    /// Whether `user` is a cached member of a guild that did not turn the cog off.
    private func isMemberOfServedGuild(_ user: UInt64) -> Bool {
        cache.guildIDs(withMember: user).contains { !isDisabled($0) }
    }

    /// The message body as sent: within Discord's limits, mentions limited, a reply's reference, attachments.
    private func message(_ body: [UInt8], replyTo: UInt64?, files: [ServiceRequest.FileUpload]) throws(ServiceError) -> [UInt8] {
        if let problem = MessageLimits.problem(in: body, sentBy: cog) { throw ServiceError(.badRequest, "message: \(problem)") }
        do {
            return try OutgoingMessage.prepare(body, capabilities: granted, replyTo: replyTo, files: files.map(\.name))
        } catch {
            throw ServiceError(.badRequest, "message: \(error)")
        }
    }

    private func uploads(_ files: [ServiceRequest.FileUpload]) throws(ServiceError) -> [DiscordRequest.File] {
        guard files.count <= Limits.files else { throw ServiceError(.badRequest, "a message carries at most \(Limits.files) files, not \(files.count)") }
        let total = files.reduce(0) { $0 + $1.data.count }
        guard total <= Limits.uploadBytes else {
            throw ServiceError(.badRequest, "the files are \(total) bytes; Discord takes at most \(Limits.uploadBytes) bytes per message")
        }
        return files.map { DiscordRequest.File(name: $0.name, data: $0.data) }
    }

    /// ISO 8601 in UTC with milliseconds, as Discord writes times. By hand: a formatter made
    /// per call cost about 90 µs, nearly all of a timeout's planning (BENCHMARKS.md).
    @_spi(Benchmarks) public static func timestamp(_ unixSeconds: Double) -> String {
        var seconds = time_t(unixSeconds.rounded(.down))
        let milliseconds = min(999, Int(((unixSeconds - Double(seconds)) * 1_000).rounded(.down)))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(digits(parts.tm_year + 1900, 4))-\(digits(parts.tm_mon + 1, 2))-\(digits(parts.tm_mday, 2))T"
            + "\(digits(parts.tm_hour, 2)):\(digits(parts.tm_min, 2)):\(digits(parts.tm_sec, 2)).\(digits(Int32(milliseconds), 3))Z"
    }
}

/// Discord's names for permission bits, for refusals.
enum PermissionNames {
    private static let names: [(UInt64, String)] = [
        (PermissionComputation.kickMembers, "Kick Members"), (PermissionComputation.banMembers, "Ban Members"),
        (PermissionComputation.administrator, "Administrator"), (PermissionComputation.addReactions, "Add Reactions"),
        (PermissionComputation.viewChannel, "View Channel"), (PermissionComputation.sendMessages, "Send Messages"),
        (PermissionComputation.manageMessages, "Manage Messages"), (PermissionComputation.embedLinks, "Embed Links"),
        (PermissionComputation.attachFiles, "Attach Files"), (PermissionComputation.readMessageHistory, "Read Message History"),
        (PermissionComputation.mentionEveryone, "Mention Everyone"), (PermissionComputation.manageNicknames, "Manage Nicknames"),
        (PermissionComputation.manageRoles, "Manage Roles"), (PermissionComputation.manageThreads, "Manage Threads"),
        (PermissionComputation.createPublicThreads, "Create Public Threads"),
        (PermissionComputation.createPrivateThreads, "Create Private Threads"),
        (PermissionComputation.sendMessagesInThreads, "Send Messages in Threads"),
        (PermissionComputation.moderateMembers, "Timeout Members"),
    ]

    /// `the Manage Roles permission`, or `the Kick Members and Ban Members permissions`.
    static func list(_ bits: UInt64) -> String {
        var named = names.filter { bits & $0.0 != 0 }.map(\.1)
        if named.isEmpty { named = ["permission bits \(bits)"] }
        let joined = named.count == 1 ? named[0] : named.dropLast().joined(separator: ", ") + " and " + named.last!
        return "the \(joined) permission\(named.count == 1 ? "" : "s")"
    }
}
