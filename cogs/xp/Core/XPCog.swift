import CogKit
import Foundation

/// What differs between builds of the xp cog: the version and the schema steps it ships.
/// The shipping build has them all; tests build older or broken editions.
public protocol XPEdition: Sendable {
    static var version: String { get }
    static var migrations: [SchemaMigration] { get }
}

/// `/checkin`, `/rank` (also Apps → Show XP on a member), `/leaderboard`, `/xp-settings` and
/// `/xp-rewards`: members earn XP by checking in and by talking (once a minute at most, with the
/// guild messages intent, not message content), with per-guild amounts and cooldowns kept in
/// the key–value store and the XP in an indexed table. Level-ups can be announced, and levels
/// can give roles (XPMessages.swift).
public struct XPCog<Edition: XPEdition>: Cog {
    public static var name: String { "xp" }
    public static var version: String { Edition.version }
    public static var migrations: [SchemaMigration] { Edition.migrations }
    public static var capabilities: [Capability] { tracksMessages ? [.messagesSend, .membersRoles] : [] }
    public static var listeners: [Listener<XPCog>] {
        guard tracksMessages else { return [] }
        return [.messageCreated { _, message, context in try await earn(from: message, context) }]
    }

    /// XP per check-in, per guild.
    static var checkinXP: StorageKey<Int> { StorageKey("checkin_xp", default: 15) }
    /// Minutes between check-ins of one member, per guild.
    static var cooldownMinutes: StorageKey<Int> { StorageKey("checkin_cooldown_minutes", default: 60) }

    /// Whether this build's schema has streaks (migration 2).
    static var tracksStreaks: Bool { schemaVersion >= XPSchema.streaks.version }
    /// Whether this build's schema has XP per message and level rewards (migration 3).
    static var tracksMessages: Bool { schemaVersion >= XPSchema.messagesAndRewards.version }

    public static var commands: [Command<XPCog>] {
        [
            Command("checkin", "Check in to earn XP") { _, context in
                try checkIn(context)
            },
            Command("rank", "Show your XP and level, or someone else's",
                    options: [.user("member", "Whose rank to show")]) { _, context in
                try rank(context)
            },
            Command.user("Show XP") { _, context in
                try rank(context)
            },
            Command("leaderboard", "The ten members with the most XP") { _, context in
                try leaderboard(context)
            },
            Command("xp-settings", "Show or change how members earn XP",
                    options: [
                        .integer("xp", "XP per check-in", min: 1, max: 1_000),
                        .integer("cooldown_minutes", "Minutes between check-ins", min: 0, max: 10_080),
                    ] + (tracksMessages ? messageSettingOptions : []),
                    defaultMemberPermissions: .manageGuild) { _, context in
                try settings(context)
            },
        ] + (tracksMessages ? [rewardsCommand] : [])
    }

    public init(setup: CogSetup) {}

    static func checkIn(_ context: CommandContext) throws -> Reply {
        let guild = try context.requireGuild()
        let user = context.user.id
        let amount = try context.storage.get(checkinXP, in: .guild(guild))
        let cooldown = Int64(try context.storage.get(cooldownMinutes, in: .guild(guild))) * 60
        let now = Int64(Date().timeIntervalSince1970)
        let columns = tracksStreaks ? "xp, last_checkin_at, streak" : "xp, last_checkin_at"
        let row = try context.storage.query(
            "SELECT \(columns) FROM xp__members WHERE guild_id = ? AND user_id = ?", [.id(guild), .id(user)]
        ).first
        let last = row?["last_checkin_at"].integer ?? 0
        if last > 0, now - last < cooldown {
            let wait = (cooldown - (now - last) + 59) / 60
            throw CommandError("You already checked in. Try again in \(wait) minute\(wait == 1 ? "" : "s").")
        }
        var streak: Int64 = 1
        if tracksStreaks, let row {
            let previous = row["streak"].integer ?? 0
            let days = (now / 86_400) - (last / 86_400)
            streak = days == 0 ? max(previous, 1) : days == 1 ? previous + 1 : 1
        }
        var sql = """
            INSERT INTO xp__members (guild_id, user_id, xp, checkins, last_checkin_at) VALUES (?1, ?2, ?3, 1, ?4)
            ON CONFLICT (guild_id, user_id) DO UPDATE SET xp = xp + ?3, checkins = checkins + 1, last_checkin_at = ?4
            """
        var parameters: [SQLValue] = [.id(guild), .id(user), .integer(Int64(amount)), .integer(now)]
        if tracksStreaks {
            sql = """
                INSERT INTO xp__members (guild_id, user_id, xp, checkins, last_checkin_at, streak) VALUES (?1, ?2, ?3, 1, ?4, ?5)
                ON CONFLICT (guild_id, user_id) DO UPDATE SET xp = xp + ?3, checkins = checkins + 1, last_checkin_at = ?4, streak = ?5
                """
            parameters.append(.integer(streak))
        }
        try context.storage.execute(sql, parameters)
        let total = (row?["xp"].integer ?? 0) + Int64(amount)
        let level = XPLevel(xp: total)
        var text = "✅ +\(amount) XP for \(context.user.displayName): \(total) XP, level \(level.level) (\(level.toNextLevel) to the next)."
        if tracksStreaks, streak > 1 { text += " 🔥 \(streak)-day streak!" }
        return .message(text)
    }

    static func rank(_ context: CommandContext) throws -> Reply {
        let guild = try context.requireGuild()
        // The slash command's option, the member a context-menu command was used on, or the player.
        let member = context.optionIfPresent("member", as: User.self) ?? context.targetUser ?? context.user
        let columns = tracksStreaks ? "xp, checkins, streak" : "xp, checkins"
        guard let row = try context.storage.query(
            "SELECT \(columns) FROM xp__members WHERE guild_id = ? AND user_id = ?", [.id(guild), .id(member.id)]
        ).first, let xp = row["xp"].integer else {
            return .message("\(member.displayName) has no XP yet. `/checkin` to start.", ephemeral: true)
        }
        let ahead = try context.storage.query(
            "SELECT count(*) AS ahead FROM xp__members WHERE guild_id = ? AND xp > ?", [.id(guild), .integer(xp)]
        ).first?["ahead"].integer ?? 0
        let level = XPLevel(xp: xp)
        var embed = Embed(title: "\(member.displayName) — rank #\(ahead + 1)")
        embed.fields = [
            Embed.Field(name: "Level", value: "\(level.level)", inline: true),
            Embed.Field(name: "XP", value: "\(xp) (\(level.toNextLevel) to the next level)", inline: true),
            Embed.Field(name: "Check-ins", value: "\(row["checkins"].integer ?? 0)", inline: true),
        ]
        if tracksStreaks {
            embed.fields.append(Embed.Field(name: "Streak", value: "\(row["streak"].integer ?? 0) days", inline: true))
        }
        return .embed(embed)
    }

    static func leaderboard(_ context: CommandContext) throws -> Reply {
        let guild = try context.requireGuild()
        let rows = try context.storage.query(
            "SELECT user_id, xp FROM xp__members WHERE guild_id = ? ORDER BY xp DESC, user_id LIMIT 10", [.id(guild)]
        )
        guard !rows.isEmpty else { return .message("Nobody has XP yet. `/checkin` to be first!") }
        let lines = rows.enumerated().map { index, row in
            let xp = row["xp"].integer ?? 0
            return "\(index + 1). \(row["user_id"].snowflake?.userMention ?? "?") — \(xp) XP (level \(XPLevel(xp: xp).level))"
        }
        return .embed(Embed(title: "🏆 Leaderboard", description: lines.joined(separator: "\n")))
    }

    static func settings(_ context: CommandContext) throws -> Reply {
        let guild = try context.requireGuild()
        guard context.memberPermissions?.contains(.manageGuild) == true else {
            throw CommandError("Changing XP settings needs the Manage Server permission.")
        }
        if let xp = context.optionIfPresent("xp", as: Int.self) {
            try context.storage.set(checkinXP, to: xp, in: .guild(guild))
        }
        if let minutes = context.optionIfPresent("cooldown_minutes", as: Int.self) {
            try context.storage.set(cooldownMinutes, to: minutes, in: .guild(guild))
        }
        if tracksMessages { try applyMessageSettings(context, guild: guild) }
        let xp = try context.storage.get(checkinXP, in: .guild(guild))
        let minutes = try context.storage.get(cooldownMinutes, in: .guild(guild))
        var text = "XP per check-in: \(xp); cooldown: \(minutes) minutes."
        if tracksMessages { text += " " + (try messageSettingsSummary(guild, context.storage)) }
        return .message(text, ephemeral: true)
    }
}
