import CogKit
import Foundation

/// Moderation with case numbers and a mod log: `/timeout`, `/kick`, `/ban`, `/unban`, `/warn`
/// and `/purge`, each with a reason, kept as numbered cases (`/case N`, `/cases @member`).
///
/// A moderator needs the Discord permission of the action (Timeout Members, Kick Members, Ban
/// Members, Manage Messages) and a highest role above the target's; the host then checks the
/// bot's own. The mod-log channel (`/modlog channel`) receives every action, and also what
/// happened without the bot: a message deleted (with its content when the message cache has
/// it) or edited (before → after), a member who left, a ban made by someone else.
struct ModerationCog: Cog {
    static let name = "moderation"
    static let version = "1.0.0"
    static let capabilities: [Capability] = [.messagesSend, .messagesManage, .membersModerate]
    /// The mod log shows what deleted and edited messages said.
    static let intents: [Intent] = [.messageContent]

    /// Where the mod log goes (0: nowhere), per guild.
    static let logChannelKey = StorageKey<UInt64>("log_channel", default: 0)

    static let migrations = [
        SchemaMigration(1, "moderation cases", sql: """
            CREATE TABLE moderation__cases (
                guild_id INTEGER NOT NULL,
                number INTEGER NOT NULL,
                action TEXT NOT NULL,
                target_id INTEGER NOT NULL,
                moderator_id INTEGER NOT NULL,
                reason TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                ends_at INTEGER,
                PRIMARY KEY (guild_id, number)
            ) STRICT;
            CREATE INDEX moderation__cases_by_target ON moderation__cases (guild_id, target_id, number);
            """),
    ]

    /// One kind of action: its command, the permission a moderator needs, and the words for it.
    enum Action: String, CaseIterable {
        case timeout, untimeout, kick, ban, unban, warn, purge

        var permission: Permissions {
            switch self {
            case .timeout, .untimeout, .warn: .moderateMembers
            case .kick: .kickMembers
            case .ban, .unban: .banMembers
            case .purge: .manageMessages
            }
        }

        var permissionName: String {
            switch self {
            case .timeout, .untimeout, .warn: "Timeout Members"
            case .kick: "Kick Members"
            case .ban, .unban: "Ban Members"
            case .purge: "Manage Messages"
            }
        }

        /// `timed out`, `kicked`, …
        var pastTense: String {
            switch self {
            case .timeout: "timed out"
            case .untimeout: "lifted the timeout of"
            case .kick: "kicked"
            case .ban: "banned"
            case .unban: "unbanned"
            case .warn: "warned"
            case .purge: "purged"
            }
        }

        var emoji: String {
            switch self {
            case .timeout: "🔇"
            case .untimeout: "🔊"
            case .kick: "👢"
            case .ban: "🔨"
            case .unban: "🕊️"
            case .warn: "⚠️"
            case .purge: "🧹"
            }
        }
    }

    static var commands: [Command<ModerationCog>] {
        let reason = CommandOption.string("reason", "Why (kept in the case and the audit log)", maxLength: 400)
        return [
            Command("timeout", "Time a member out", options: [
                .user("member", "Who", required: true),
                .integer("minutes", "How long (up to 28 days)", required: true, min: 1, max: 40_320), reason,
            ], defaultMemberPermissions: .moderateMembers) { _, context in try await moderate(.timeout, context) },
            Command("untimeout", "Lift a member's timeout", options: [.user("member", "Who", required: true), reason],
                    defaultMemberPermissions: .moderateMembers) { _, context in try await moderate(.untimeout, context) },
            Command("kick", "Remove a member from the server", options: [.user("member", "Who", required: true), reason],
                    defaultMemberPermissions: .kickMembers) { _, context in try await moderate(.kick, context) },
            Command("ban", "Ban a user", options: [
                .user("member", "Who", required: true), reason,
                .integer("delete_days", "Days of their messages to delete (0–7)", min: 0, max: 7),
            ], defaultMemberPermissions: .banMembers) { _, context in try await moderate(.ban, context) },
            Command("unban", "Lift a ban", options: [
                .string("user", "The banned user's id", required: true, maxLength: 20), reason,
            ], defaultMemberPermissions: .banMembers) { _, context in try await moderate(.unban, context) },
            Command("warn", "Warn a member (kept as a case)", options: [
                .user("member", "Who", required: true), .string("reason", "Why", required: true, maxLength: 400),
            ], defaultMemberPermissions: .moderateMembers) { _, context in try await moderate(.warn, context) },
            Command("purge", "Delete the channel's most recent messages", options: [
                .integer("count", "How many (2–100, none older than 14 days)", required: true, min: 2, max: 100), reason,
            ], defaultMemberPermissions: .manageMessages) { _, context in try await purge(context) },
            Command("case", "Show a moderation case", options: [.integer("number", "The case number", required: true, min: 1)],
                    defaultMemberPermissions: .moderateMembers) { _, context in try showCase(context) },
            Command("cases", "A member's moderation history", options: [.user("member", "Whose", required: true)],
                    defaultMemberPermissions: .moderateMembers) { _, context in try history(context) },
            Command("modlog", "Where moderation is logged", defaultMemberPermissions: .manageGuild, subcommands: [
                Command("channel", "Log every action and deletion in a channel",
                        options: [.channel("channel", "The mod-log channel", required: true)]) { _, context in
                    let guild = try requireManager(context)
                    let channel: Channel = try context.option("channel")
                    try context.storage.set(logChannelKey, to: channel.id.rawValue, in: .guild(guild))
                    return .message("📋 Moderation will be logged in \(channel.mention).", ephemeral: true)
                },
                Command("off", "Stop the mod log") { _, context in
                    let guild = try requireManager(context)
                    try context.storage.reset(logChannelKey, in: .guild(guild))
                    return .message("The mod log is off.", ephemeral: true)
                },
            ]),
        ]
    }

    static var listeners: [Listener<ModerationCog>] {
        [
            .messageDeleted { _, deletion, context in try await logDeletion(deletion, context) },
            .messageUpdated { _, message, context in try await logEdit(message, context) },
            .memberLeft { _, left, context in
                try await log(in: left.guildID, context.storage, context.discord, context.logger,
                              Embed(title: "📤 Member left", description: "\(left.user.id.userMention) (\(left.user.username))", colour: 0x95A5A6))
            },
            .banAdded { _, ban, context in try await logOutsideBan(ban, context) },
        ]
    }

    init(setup: CogSetup) {}

    // MARK: Actions

    /// Checks the moderator, takes the action, records the case and logs it.
    static func moderate(_ action: Action, _ context: CommandContext) async throws -> Reply {
        let guild = try context.requireGuild()
        try requirePermission(action, context)
        let reason = context.optionIfPresent("reason", as: String.self) ?? "no reason given"
        let auditReason = "\(context.user.username): \(reason)"
        let target: User
        if action == .unban {
            guard let id = UInt64(try context.option("user", as: String.self).trimmingCharacters(in: .whitespaces)) else {
                throw CommandError("Give the banned user's id (a number).")
            }
            target = User(id: Snowflake(id), username: "user \(id)")
        } else {
            target = try context.option("member")
            try await requireAbove(target.id, in: guild, for: action, context)
        }
        var endsAt: Date?
        do {
            switch action {
            case .timeout:
                let minutes = try context.option("minutes", as: Int.self)
                endsAt = Date().addingTimeInterval(Double(minutes) * 60)
                try await context.discord.timeout(target.id, in: guild, for: .seconds(minutes * 60), reason: auditReason)
            case .untimeout: try await context.discord.removeTimeout(target.id, in: guild, reason: auditReason)
            case .kick: try await context.discord.kick(target.id, from: guild, reason: auditReason)
            case .ban:
                let days = context.optionIfPresent("delete_days", as: Int.self) ?? 0
                try await context.discord.ban(target.id, from: guild, deletingMessages: .seconds(days * 86_400), reason: auditReason)
            case .unban: try await context.discord.unban(target.id, from: guild, reason: auditReason)
            case .warn, .purge: break
            }
        } catch let error as ServiceCallError {
            // The host's reason is written for the moderator: a role order, a missing permission.
            throw CommandError("I could not do that: \(error.message)")
        }
        let number = try record(action, target: target.id, by: context.user.id, reason: reason, endsAt: endsAt, in: guild, context.storage)
        var line = "\(action.emoji) Case #\(number): \(context.user.displayName) \(action.pastTense) \(target.id.userMention)"
        if let endsAt { line += " until <t:\(Int(endsAt.timeIntervalSince1970)):f>" }
        line += ". Reason: \(reason)"
        try await log(in: guild, context.storage, context.discord, context.logger, caseEmbed(number, action, target: target.id, moderator: context.user.id,
                                                                            reason: reason, endsAt: endsAt))
        return .message(line)
    }

    /// `/purge N`: the channel's N most recent messages, deleted at once.
    static func purge(_ context: CommandContext) async throws -> Reply {
        let guild = try context.requireGuild()
        try requirePermission(.purge, context)
        guard let channel = context.channelID else { throw CommandError("Purge runs in a channel.") }
        let count = try context.option("count", as: Int.self)
        let reason = context.optionIfPresent("reason", as: String.self) ?? "no reason given"
        // Discord bulk deletes only messages younger than 14 days; older ones stay. The interaction's
        // id tells Discord's time now.
        let cutoff = (context.interactionID?.createdAt ?? Date()).addingTimeInterval(-14 * 86_400 + 60)
        let recent: [Message]
        do {
            recent = try await context.discord.recentMessages(in: channel, limit: count).filter { $0.id.createdAt > cutoff }
            switch recent.count {
            case 0: throw CommandError("There is nothing younger than 14 days to purge here.")
            case 1: try await context.discord.delete(recent[0].id, in: channel, reason: "\(context.user.username): \(reason)")
            default: try await context.discord.bulkDelete(recent.map(\.id), in: channel, reason: "\(context.user.username): \(reason)")
            }
        } catch let error as ServiceCallError {
            throw CommandError("I could not purge: \(error.message)")
        }
        let number = try record(.purge, target: channel, by: context.user.id, reason: "\(recent.count) messages: \(reason)", endsAt: nil,
                                in: guild, context.storage)
        try await log(in: guild, context.storage, context.discord, context.logger,
                      caseEmbed(number, .purge, target: channel, moderator: context.user.id, reason: "\(recent.count) messages in <#\(channel)>: \(reason)",
                                endsAt: nil))
        return .message("🧹 Case #\(number): deleted \(recent.count) message\(recent.count == 1 ? "" : "s").", ephemeral: true)
    }

    // MARK: Cases

    static func record(_ action: Action, target: Snowflake, by moderator: Snowflake, reason: String, endsAt: Date?, in guild: Snowflake,
                       _ storage: CogStorage) throws -> Int64 {
        // One statement numbers and inserts, so two moderators at once never get the same number.
        let inserted = try storage.execute("""
            INSERT INTO moderation__cases (guild_id, number, action, target_id, moderator_id, reason, created_at, ends_at)
            SELECT ?1, coalesce(max(number), 0) + 1, ?2, ?3, ?4, ?5, ?6, ?7 FROM moderation__cases WHERE guild_id = ?1
            """, [.id(guild), .text(action.rawValue), .id(target), .id(moderator), .text(reason),
                  .integer(Int64(Date().timeIntervalSince1970)), endsAt.map { .integer(Int64($0.timeIntervalSince1970)) } ?? .null])
        return try storage.query("SELECT number FROM moderation__cases WHERE rowid = ?", [.integer(inserted.lastInsertRowID)])
            .first?["number"].integer ?? 0
    }

    static func showCase(_ context: CommandContext) throws -> Reply {
        let guild = try context.requireGuild()
        try requirePermission(.warn, context)
        let number = try context.option("number", as: Int.self)
        guard let row = try context.storage.query(
            "SELECT action, target_id, moderator_id, reason, ends_at FROM moderation__cases WHERE guild_id = ? AND number = ?",
            [.id(guild), .integer(Int64(number))]
        ).first, let action = Action(rawValue: row["action"].text ?? "") else {
            throw CommandError("There is no case #\(number) in this server.")
        }
        return .embed(caseEmbed(Int64(number), action, target: row["target_id"].snowflake ?? Snowflake(0), moderator: row["moderator_id"].snowflake ?? Snowflake(0),
                                reason: row["reason"].text ?? "", endsAt: row["ends_at"].integer.map { Date(timeIntervalSince1970: Double($0)) }),
                      ephemeral: true)
    }

    static func history(_ context: CommandContext) throws -> Reply {
        let guild = try context.requireGuild()
        try requirePermission(.warn, context)
        let member: User = try context.option("member")
        let rows = try context.storage.query(
            "SELECT number, action, reason FROM moderation__cases WHERE guild_id = ? AND target_id = ? ORDER BY number DESC LIMIT 20",
            [.id(guild), .id(member.id)]
        )
        guard !rows.isEmpty else { return .message("\(member.displayName) has a clean record.", ephemeral: true) }
        let lines = rows.map { row in
            let action = Action(rawValue: row["action"].text ?? "")
            return "#\(row["number"].integer ?? 0) \(action?.emoji ?? "") \(row["action"].text ?? "") — \((row["reason"].text ?? "").prefix(180))"
        }
        return .embed(Embed(title: "Cases of \(member.displayName)", description: lines.joined(separator: "\n")), ephemeral: true)
    }

    static func caseEmbed(_ number: Int64, _ action: Action, target: Snowflake, moderator: Snowflake, reason: String, endsAt: Date?) -> Embed {
        var embed = Embed(title: "\(action.emoji) Case #\(number): \(action.rawValue)", colour: action == .warn ? 0xF1C40F : 0xE74C3C)
        embed.fields = [
            Embed.Field(name: action == .purge ? "Channel" : "Member", value: action == .purge ? "<#\(target)>" : target.userMention, inline: true),
            Embed.Field(name: "Moderator", value: moderator.userMention, inline: true),
            Embed.Field(name: "Reason", value: reason),
        ]
        if let endsAt { embed.fields.append(Embed.Field(name: "Ends", value: "<t:\(Int(endsAt.timeIntervalSince1970)):R>", inline: true)) }
        return embed
    }

    // MARK: The mod log

    /// Posts to the guild's mod log, if it has one; a post that fails is logged, not thrown.
    static func log(in guild: Snowflake, _ storage: CogStorage, _ discord: DiscordClient, _ logger: CogLogger, _ embed: Embed) async throws {
        let channel = try storage.get(logChannelKey, in: .guild(guild))
        guard channel != 0 else { return }
        do {
            try await discord.send(to: Snowflake(channel), embeds: [embed])
        } catch {
            // The action itself is done and recorded; a mod log that cannot be posted must not undo that.
            logger.warning("could not post to the mod log <#\(channel)> of \(guild): \(error)")
        }
    }

    static func logDeletion(_ deletion: MessageDeletion, _ context: EventContext) async throws {
        guard let guild = deletion.guildID else { return }
        let cached = try await context.cache.message(deletion.id, in: deletion.channelID)
        var embed = Embed(title: "🗑️ Message deleted", colour: 0xE67E22)
        let author = cached.map { " by \($0.authorID.userMention)" } ?? ""
        embed.description = "In <#\(deletion.channelID)>\(author):\n" + (cached.map { $0.content.isEmpty ? "(no text)" : quoted($0.content) }
            ?? "(not in the message cache; set COGWHEEL_CACHE_MESSAGES to keep recent messages)")
        try await log(in: guild, context.storage, context.discord, context.logger, embed)
    }

    static func logEdit(_ message: Message, _ context: EventContext) async throws {
        guard let guild = message.guildID, message.editedTimestamp != nil else { return }
        let before = try await context.cache.message(message.id, in: message.channelID)?.previousContent
        guard before != message.content else { return }
        var embed = Embed(title: "✏️ Message edited", colour: 0x3498DB)
        embed.description = "In <#\(message.channelID)> by \(message.author.map { $0.id.userMention } ?? "someone")"
        embed.fields = [
            Embed.Field(name: "Before", value: before.map(quoted) ?? "(not in the message cache)"),
            Embed.Field(name: "After", value: quoted(message.content)),
        ]
        try await log(in: guild, context.storage, context.discord, context.logger, embed)
    }

    /// A ban with no case from this cog in the last minute was made by someone else: logged so.
    static func logOutsideBan(_ ban: GuildUser, _ context: EventContext) async throws {
        let recent = try context.storage.query(
            "SELECT 1 FROM moderation__cases WHERE guild_id = ? AND target_id = ? AND action = 'ban' AND created_at >= ?",
            [.id(ban.guildID), .id(ban.user.id), .integer(Int64(Date().timeIntervalSince1970) - 60)]
        )
        guard recent.isEmpty else { return }
        try await log(in: ban.guildID, context.storage, context.discord, context.logger,
                      Embed(title: "🔨 Banned outside the bot", description: "\(ban.user.id.userMention) (\(ban.user.username)) was banned from Discord's own menu or another bot.",
                            colour: 0xE74C3C))
    }

    // MARK: Checks

    static func requireManager(_ context: CommandContext) throws -> Snowflake {
        let guild = try context.requireGuild()
        guard context.memberPermissions?.contains(.manageGuild) == true else {
            throw CommandError("Setting up the mod log needs the Manage Server permission.")
        }
        return guild
    }

    static func requirePermission(_ action: Action, _ context: CommandContext) throws {
        guard context.memberPermissions?.contains(action.permission) == true else {
            throw CommandError("That needs the \(action.permissionName) permission.")
        }
    }

    /// The moderator's highest role must be above the target's, as Discord requires of members
    /// themselves; the server's owner is above everyone, and nobody moderates themselves.
    static func requireAbove(_ target: Snowflake, in guild: Snowflake, for action: Action, _ context: CommandContext) async throws {
        guard target != context.user.id else { throw CommandError("You cannot moderate yourself.") }
        guard let snapshot = try await context.cache.guild(guild) else { throw CommandError("I do not know this server yet; try again in a moment.") }
        guard target != snapshot.ownerID else { throw CommandError("Nobody can moderate the server's owner.") }
        switch try await context.outranks(member: target) {
        case true?: return
        case false?: throw CommandError("Your highest role must be above \(target.userMention)'s to moderate them.")
        // Not a member: only a ban (of someone who left, or never joined) needs no rank.
        case nil where action == .ban: return
        case nil: throw CommandError("\(target.userMention) is not a member of this server.")
        }
    }

    /// `text` quoted, within an embed field's 1,024 (counted as Discord counts, by scalars).
    static func quoted(_ text: String) -> String {
        let quoted = text.split(separator: "\n", omittingEmptySubsequences: false).map { "> \($0)" }.joined(separator: "\n")
        guard quoted.unicodeScalars.count > 1_000 else { return quoted }
        return String(String.UnicodeScalarView(quoted.unicodeScalars.prefix(999))) + "…"
    }
}

@_cdecl("cog_entry")
public func cogEntry() -> UnsafeRawPointer { exportCog(ModerationCog.self) }
