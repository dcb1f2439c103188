import CCogABI
import Foundation
internal import CogWire

/// Discord actions a cog takes besides answering an interaction: messages, members, roles,
/// threads, direct messages and follow-ups. Every call goes through the host, which checks it
/// before Discord sees it and sends it through the bot's rate-limited REST client; the cog
/// never sees the bot's token.
///
/// The host refuses, with a ``ServiceCallError`` whose message says why:
/// - a call whose ``Capability`` the cog did not declare in ``Cog/capabilities``, or the
///   operator denied (``ServiceCallError/isDenied``);
/// - a post into a channel the cog is not working in: the channel of an interaction or event it
///   was given in the last 15 minutes (or a thread of it), one an option of the interaction
///   named, or one the cog's guild settings name (``CogStorage`` in `.guild(id)`);
/// - anything in a guild that turned the cog off;
/// - what Discord would refuse: a permission the bot lacks there, a role or member not below the
///   bot's highest role, the guild's owner, a message or files over Discord's limits.
///
/// Mentions in what the cog sends notify users only, unless it declared ``Capability/mentionsRoles``
/// or ``Capability/mentionsEveryone``. Each cog has its share of the bot's REST budget: past it
/// a call waits briefly, then is refused.
///
/// ```swift
/// static var capabilities: [Capability] { [.messagesSend, .membersModerate] }
///
/// let posted = try await context.discord.send(to: channelID, content: "Good morning!")
/// try await context.discord.react(with: "👋", to: posted)
/// try await context.discord.timeout(memberID, in: guildID, for: .seconds(600), reason: "spam")
/// ```
public struct DiscordClient: Sendable {
    let host: HostServices?
    let cog: String

    // MARK: Messages

    /// Posts a message to `channel`, with `files` attached (``Capability/files``).
    ///
    /// ```swift
    /// let posted = try await context.discord.send(to: channel, content: "Report", files: [MessageFile(name: "report.txt", text: report)])
    /// ```
    @discardableResult
    public func send(to channel: Snowflake, content: String? = nil, embeds: [Embed] = [], components: [ActionRow] = [],
                     files: [MessageFile] = []) async throws -> SentMessage {
        let body = try MessageBody(content: content, embeds: embeds, components: components).json(cog: cog)
        return try await sent(.sendMessage(channel: channel.rawValue, message: body, files: files.map(\.upload)))
    }

    /// Posts a reply to a message, in its channel.
    ///
    /// ```swift
    /// try await context.discord.reply(to: message.channelID, message.id, content: "Welcome back!")
    /// ```
    @discardableResult
    public func reply(to channel: Snowflake, _ message: Snowflake, content: String? = nil, embeds: [Embed] = [],
                      components: [ActionRow] = []) async throws -> SentMessage {
        let body = try MessageBody(content: content, embeds: embeds, components: components).json(cog: cog)
        return try await sent(.sendMessage(channel: channel.rawValue, message: body, replyTo: message.rawValue))
    }

    /// Replaces the content, embeds and components of a message this cog posted.
    ///
    /// ```swift
    /// try await context.discord.edit(posted, content: "Good morning, everyone!")
    /// ```
    public func edit(_ message: SentMessage, content: String? = nil, embeds: [Embed] = [],
                     components: [ActionRow] = []) async throws {
        let body = try MessageBody(content: content, embeds: embeds, components: components).json(cog: cog)
        try await done(.editMessage(channel: message.channelID.rawValue, message: message.id.rawValue, body: body))
    }

    /// Deletes a message this cog posted.
    ///
    /// ```swift
    /// try await context.discord.delete(posted)
    /// ```
    public func delete(_ message: SentMessage) async throws {
        try await done(.deleteMessage(channel: message.channelID.rawValue, message: message.id.rawValue))
    }

    /// Deletes anyone's message (``Capability/messagesManage`` and Manage Messages), with a
    /// reason for the audit log.
    ///
    /// ```swift
    /// try await context.discord.delete(message.id, in: message.channelID, reason: "spam")
    /// ```
    public func delete(_ message: Snowflake, in channel: Snowflake, reason: String? = nil) async throws {
        try await done(.deleteMessage(channel: channel.rawValue, message: message.rawValue, reason: reason))
    }

    /// Adds the bot's reaction (a Unicode emoji, or `name:id` for a custom one) to a message.
    ///
    /// ```swift
    /// try await context.discord.react(with: "✅", to: posted)
    /// ```
    public func react(with emoji: String, to message: SentMessage) async throws {
        try await done(.addReaction(channel: message.channelID.rawValue, message: message.id.rawValue, emoji: emoji))
    }

    /// Fetches one message.
    ///
    /// ```swift
    /// let original = try await context.discord.message(id, in: channel)
    /// ```
    public func message(_ id: Snowflake, in channel: Snowflake) async throws -> Message {
        let bytes = try await answer(.fetchMessage(channel: channel.rawValue, message: id.rawValue))
        return try Self.read("the message", bytes) { try Message(scanning: $0) }
    }

    /// The channel's most recent messages, newest first: 1–100, older than `before` when given.
    ///
    /// ```swift
    /// let last = try await context.discord.recentMessages(in: channel, limit: 20)
    /// ```
    public func recentMessages(in channel: Snowflake, limit: Int = 50, before: Snowflake? = nil) async throws -> [Message] {
        let bytes = try await answer(.fetchMessages(channel: channel.rawValue, limit: limit, before: before?.rawValue))
        return try Self.read("the messages", bytes) { raw in
            try JSONScanner.scan(raw) { scanner in
                var messages: [Message] = []
                try scanner.readObject { scanner, key in
                    guard key == "messages" else {
                        _ = try scanner.skipValue()
                        return
                    }
                    try scanner.readArray { scanner, _ in messages.append(try Message(scanning: &scanner)) }
                }
                return messages
            }
        }
    }

    /// Deletes 2–100 messages younger than 14 days at once (``Capability/messagesManage``).
    ///
    /// ```swift
    /// let recent = try await context.discord.recentMessages(in: channel, limit: 10)
    /// try await context.discord.bulkDelete(recent.map(\.id), in: channel, reason: "/purge 10")
    /// ```
    public func bulkDelete(_ messages: [Snowflake], in channel: Snowflake, reason: String? = nil) async throws {
        try await done(.bulkDelete(channel: channel.rawValue, messages: messages.map(\.rawValue), reason: reason))
    }

    /// Pins a message (``Capability/messagesManage``).
    ///
    /// ```swift
    /// try await context.discord.pin(posted.id, in: posted.channelID)
    /// ```
    public func pin(_ message: Snowflake, in channel: Snowflake, reason: String? = nil) async throws {
        try await done(.pin(channel: channel.rawValue, message: message.rawValue, pinned: true, reason: reason))
    }

    /// Unpins a message (``Capability/messagesManage``).
    ///
    /// ```swift
    /// try await context.discord.unpin(posted.id, in: posted.channelID)
    /// ```
    public func unpin(_ message: Snowflake, in channel: Snowflake, reason: String? = nil) async throws {
        try await done(.pin(channel: channel.rawValue, message: message.rawValue, pinned: false, reason: reason))
    }

    // MARK: Members

    /// Gives a member a role below the bot's highest (``Capability/membersRoles``).
    ///
    /// ```swift
    /// try await context.discord.addRole(memberRole, to: member.user.id, in: member.guildID, reason: "auto-role")
    /// ```
    public func addRole(_ role: Snowflake, to user: Snowflake, in guild: Snowflake, reason: String? = nil) async throws {
        try await done(.memberRole(guild: guild.rawValue, user: user.rawValue, role: role.rawValue, adding: true, reason: reason))
    }

    /// Takes a role from a member (``Capability/membersRoles``).
    ///
    /// ```swift
    /// try await context.discord.removeRole(role, from: reaction.userID, in: guild)
    /// ```
    public func removeRole(_ role: Snowflake, from user: Snowflake, in guild: Snowflake, reason: String? = nil) async throws {
        try await done(.memberRole(guild: guild.rawValue, user: user.rawValue, role: role.rawValue, adding: false, reason: reason))
    }

    /// Sets a member's nickname; `nil` resets it (``Capability/membersNicknames``).
    ///
    /// ```swift
    /// try await context.discord.setNickname("Captain", for: user, in: guild)
    /// ```
    public func setNickname(_ nickname: String?, for user: Snowflake, in guild: Snowflake, reason: String? = nil) async throws {
        try await done(.setNickname(guild: guild.rawValue, user: user.rawValue, nickname: nickname, reason: reason))
    }

    /// Times a member out for up to 28 days (``Capability/membersModerate``).
    ///
    /// ```swift
    /// try await context.discord.timeout(user, in: guild, for: .seconds(600), reason: "spam")
    /// ```
    public func timeout(_ user: Snowflake, in guild: Snowflake, for duration: Duration, reason: String? = nil) async throws {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        try await done(.timeout(guild: guild.rawValue, user: user.rawValue, until: .after(seconds: seconds), reason: reason))
    }

    /// Lifts a member's timeout (``Capability/membersModerate``).
    ///
    /// ```swift
    /// try await context.discord.removeTimeout(user, in: guild)
    /// ```
    public func removeTimeout(_ user: Snowflake, in guild: Snowflake, reason: String? = nil) async throws {
        try await done(.timeout(guild: guild.rawValue, user: user.rawValue, until: nil, reason: reason))
    }

    /// Removes a member from the guild (``Capability/membersModerate``).
    ///
    /// ```swift
    /// try await context.discord.kick(user, from: guild, reason: "raid")
    /// ```
    public func kick(_ user: Snowflake, from guild: Snowflake, reason: String? = nil) async throws {
        try await done(.kick(guild: guild.rawValue, user: user.rawValue, reason: reason))
    }

    /// Bans a user, deleting their messages of the last `deletingMessages` (at most 7 days)
    /// (``Capability/membersModerate``).
    ///
    /// ```swift
    /// try await context.discord.ban(user, from: guild, deletingMessages: .seconds(86_400), reason: "spam bot")
    /// ```
    public func ban(_ user: Snowflake, from guild: Snowflake, deletingMessages: Duration = .zero, reason: String? = nil) async throws {
        try await done(.ban(guild: guild.rawValue, user: user.rawValue, deleteMessageSeconds: Int(deletingMessages.components.seconds),
                            reason: reason))
    }

    /// Lifts a ban (``Capability/membersModerate``).
    ///
    /// ```swift
    /// try await context.discord.unban(user, from: guild, reason: "appeal accepted")
    /// ```
    public func unban(_ user: Snowflake, from guild: Snowflake, reason: String? = nil) async throws {
        try await done(.unban(guild: guild.rawValue, user: user.rawValue, reason: reason))
    }

    // MARK: Roles

    /// Creates a role and returns its id (``Capability/rolesManage``); it cannot carry a
    /// permission the bot lacks.
    ///
    /// ```swift
    /// let muted = try await context.discord.createRole(in: guild, name: "Muted", permissions: [])
    /// ```
    public func createRole(in guild: Snowflake, name: String, permissions: Permissions? = nil, colour: Int? = nil,
                           hoist: Bool? = nil, mentionable: Bool? = nil, reason: String? = nil) async throws -> Snowflake {
        let fields = ServiceRequest.RoleFields(name: name, permissions: permissions?.rawValue, color: colour, hoist: hoist,
                                               mentionable: mentionable)
        return Snowflake(try await host.call(.createRole(guild: guild.rawValue, fields: fields, reason: reason), answer: CreatedAnswer.self).id)
    }

    /// Changes a role below the bot's highest; `nil` fields stay as they are (``Capability/rolesManage``).
    ///
    /// ```swift
    /// try await context.discord.editRole(role, in: guild, name: "Level 10", colour: 0xF1C40F)
    /// ```
    public func editRole(_ role: Snowflake, in guild: Snowflake, name: String? = nil, permissions: Permissions? = nil,
                         colour: Int? = nil, hoist: Bool? = nil, mentionable: Bool? = nil, reason: String? = nil) async throws {
        let fields = ServiceRequest.RoleFields(name: name, permissions: permissions?.rawValue, color: colour, hoist: hoist,
                                               mentionable: mentionable)
        try await done(.editRole(guild: guild.rawValue, role: role.rawValue, fields: fields, reason: reason))
    }

    /// Deletes a role below the bot's highest (``Capability/rolesManage``).
    ///
    /// ```swift
    /// try await context.discord.deleteRole(role, in: guild, reason: "event over")
    /// ```
    public func deleteRole(_ role: Snowflake, in guild: Snowflake, reason: String? = nil) async throws {
        try await done(.deleteRole(guild: guild.rawValue, role: role.rawValue, reason: reason))
    }

    // MARK: Threads

    /// Starts a thread from a message and returns its id (``Capability/threads``); the cog may
    /// then post in it.
    ///
    /// ```swift
    /// let thread = try await context.discord.createThread(named: "Discussion", from: posted.id, in: posted.channelID)
    /// ```
    public func createThread(named name: String, from message: Snowflake, in channel: Snowflake,
                             archiveAfter minutes: Int? = nil, reason: String? = nil) async throws -> Snowflake {
        Snowflake(try await host.call(.createThread(channel: channel.rawValue, message: message.rawValue, name: name,
                                                    autoArchiveMinutes: minutes, isPrivate: false, reason: reason),
                                      answer: CreatedAnswer.self).id)
    }

    /// Starts a thread without a message, public or private, and returns its id (``Capability/threads``).
    ///
    /// ```swift
    /// let ticket = try await context.discord.createThread(named: "ticket-42", in: channel, isPrivate: true)
    /// ```
    public func createThread(named name: String, in channel: Snowflake, isPrivate: Bool = false,
                             archiveAfter minutes: Int? = nil, reason: String? = nil) async throws -> Snowflake {
        Snowflake(try await host.call(.createThread(channel: channel.rawValue, message: nil, name: name, autoArchiveMinutes: minutes,
                                                    isPrivate: isPrivate, reason: reason),
                                      answer: CreatedAnswer.self).id)
    }

    /// Archives a thread, and locks it when `locked` (``Capability/threads``).
    ///
    /// ```swift
    /// try await context.discord.archiveThread(ticket, locked: true, reason: "ticket closed")
    /// ```
    public func archiveThread(_ thread: Snowflake, locked: Bool = false, reason: String? = nil) async throws {
        try await done(.archiveThread(thread: thread.rawValue, locked: locked, reason: reason))
    }

    /// Adds a member to a thread (``Capability/threads``).
    ///
    /// ```swift
    /// try await context.discord.addMember(context.user.id, toThread: ticket)
    /// ```
    public func addMember(_ user: Snowflake, toThread thread: Snowflake) async throws {
        try await done(.addThreadMember(thread: thread.rawValue, user: user.rawValue))
    }

    // MARK: Direct messages and follow-ups

    /// Sends a user a direct message (``Capability/dm``): a user whose interaction or event
    /// the cog was given in the last 15 minutes, or a member of a guild it serves. A user who
    /// closed their DMs makes it fail (Discord's 50007).
    ///
    /// ```swift
    /// try await context.discord.sendDirectMessage(to: member.user.id, content: "Welcome to the server!")
    /// ```
    @discardableResult
    public func sendDirectMessage(to user: Snowflake, content: String? = nil, embeds: [Embed] = [],
                                  files: [MessageFile] = []) async throws -> SentMessage {
        let body = try MessageBody(content: content, embeds: embeds, components: []).json(cog: cog)
        return try await sent(.sendDirectMessage(user: user.rawValue, message: body, files: files.map(\.upload)))
    }

    /// Another message answering an interaction this cog was given, up to 15 minutes later
    /// (``CommandContext/interactionID``).
    ///
    /// ```swift
    /// let interaction = try #require(context.interactionID)
    /// try await context.discord.followUp(interaction, content: "Done: 120 messages archived.", ephemeral: true)
    /// ```
    @discardableResult
    public func followUp(_ interaction: Snowflake, content: String? = nil, embeds: [Embed] = [], components: [ActionRow] = [],
                         ephemeral: Bool = false, files: [MessageFile] = []) async throws -> SentMessage {
        let body = try MessageBody(content: content, embeds: embeds, components: components)
            .json(cog: cog, flags: ephemeral ? 64 : nil)
        return try await sent(.followUp(interaction: interaction.rawValue, message: body, files: files.map(\.upload)))
    }

    /// Replaces a follow-up, or with `message: nil` the interaction's first answer.
    ///
    /// ```swift
    /// try await context.discord.editFollowUp(interaction, message: nil, content: "Finished.")
    /// ```
    public func editFollowUp(_ interaction: Snowflake, message: Snowflake?, content: String? = nil, embeds: [Embed] = [],
                             components: [ActionRow] = []) async throws {
        let body = try MessageBody(content: content, embeds: embeds, components: components).json(cog: cog)
        try await done(.editFollowUp(interaction: interaction.rawValue, message: message?.rawValue, body: body))
    }

    /// Deletes a follow-up, or with `message: nil` the interaction's first answer.
    ///
    /// ```swift
    /// try await context.discord.deleteFollowUp(interaction, message: progress.id)
    /// ```
    public func deleteFollowUp(_ interaction: Snowflake, message: Snowflake?) async throws {
        try await done(.deleteFollowUp(interaction: interaction.rawValue, message: message?.rawValue))
    }

    // MARK: Plumbing

    private func sent(_ request: ServiceRequest) async throws -> SentMessage {
        let answer = try await host.call(request, answer: SentMessageAnswer.self)
        return SentMessage(channelID: Snowflake(answer.channel), id: Snowflake(answer.message))
    }

    private func done(_ request: ServiceRequest) async throws {
        _ = try await host.call(request, answer: EmptyAnswer.self)
    }

    /// The raw answer, for the services that answer with Discord's own objects.
    private func answer(_ request: ServiceRequest) async throws -> [UInt8] {
        guard let host else { throw ServiceCallError(status: Int32(COG_ERR_UNSUPPORTED.rawValue), message: "this cog runs outside a host") }
        return try await host.callService(request.encoded())
    }

    private static func read<Value>(_ what: String, _ bytes: [UInt8], _ body: ([UInt8]) throws -> Value) throws -> Value {
        do {
            return try body(bytes)
        } catch {
            throw ServiceCallError(status: Int32(COG_ERR_FAILED.rawValue), message: "the host's answer with \(what) did not read: \(error)")
        }
    }
}

/// A message a cog posted: enough to edit, delete or react to it later. Store both ids (for
/// example in the cog's table) to change it after a reload or a restart.
public struct SentMessage: Sendable, Equatable, Hashable {
    public let channelID: Snowflake
    public let id: Snowflake

    public init(channelID: Snowflake, id: Snowflake) {
        self.channelID = channelID
        self.id = id
    }
}

/// A file attached to a message (``Capability/files``); Discord takes up to 10 per message,
/// 10 MiB in all.
///
/// ```swift
/// let log = MessageFile(name: "cases.csv", text: "case,member,action\n1,42,timeout\n")
/// ```
public struct MessageFile: Sendable, Equatable {
    public var name: String
    public var data: [UInt8]

    public init(name: String, data: [UInt8]) {
        self.name = name
        self.data = data
    }

    /// A text file, as UTF-8.
    public init(name: String, text: String) {
        self.init(name: name, data: Array(text.utf8))
    }

    var upload: ServiceRequest.FileUpload { ServiceRequest.FileUpload(name: name, data: data) }
}

extension ServiceCallError {
    /// Whether the host refused the call for a capability, a scope or a check (`COG_ERR_DENIED`),
    /// rather than failed it: the message then says what to change.
    public var isDenied: Bool { status == Int32(COG_ERR_DENIED.rawValue) }
}
