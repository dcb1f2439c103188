import CogKit
import Foundation

/// XP per message, level-up announcements and role rewards per level (schema 3).
extension XPCog {
    /// XP a message earns (0 turns it off), per guild.
    static var messageXP: StorageKey<Int> { StorageKey("message_xp", default: 5) }
    /// Seconds before a member's next message earns XP again, per guild.
    static var messageCooldownSeconds: StorageKey<Int> { StorageKey("message_cooldown_seconds", default: 60) }
    /// Whether level-ups are announced, and where (0: in the channel of the message).
    static var announcesLevelUps: StorageKey<Bool> { StorageKey("announce_level_ups", default: false) }
    static var levelUpChannel: StorageKey<UInt64> { StorageKey("level_up_channel", default: 0) }

    static var messageSettingOptions: [CommandOption] {
        [
            .integer("message_xp", "XP per message (0: none)", min: 0, max: 100),
            .integer("message_cooldown_seconds", "Seconds between messages that earn XP", min: 0, max: 3_600),
            .boolean("announce_level_ups", "Announce when a member reaches a level"),
            .channel("level_up_channel", "Where to announce them (default: where the member spoke)"),
        ]
    }

    static var rewardsCommand: Command<XPCog> {
        Command("xp-rewards", "Roles members get at a level", defaultMemberPermissions: .manageRoles, subcommands: [
            Command("add", "Give a role at a level", options: [
                .integer("level", "The level", required: true, min: 1, max: 1_000),
                .role("role", "The role (below the bot's own)", required: true),
            ]) { _, context in
                let guild = try requireRoleManager(context)
                let level = try context.option("level", as: Int.self)
                let role: Role = try context.option("role")
                guard try await context.outranks(role: role.id) else {
                    throw CommandError("\(role.mention) is not below your highest role, so you cannot make it a reward.")
                }
                if let snapshot = try await context.cache.guild(guild),
                   let position = snapshot.roles.first(where: { $0.id == role.id })?.position, position >= snapshot.botPosition {
                    throw CommandError("\(role.mention) is not below my highest role, so I could not give it. Move my role above it first.")
                }
                try context.storage.execute(
                    "INSERT INTO xp__rewards (guild_id, level, role_id) VALUES (?, ?, ?) ON CONFLICT (guild_id, level) DO UPDATE SET role_id = excluded.role_id",
                    [.id(guild), .integer(Int64(level)), .id(role.id)])
                return .message("Members reaching level \(level) will get \(role.mention).", ephemeral: true)
            },
            Command("remove", "Stop giving a role at a level", options: [.integer("level", "The level", required: true, min: 1, max: 1_000)]) { _, context in
                let guild = try requireRoleManager(context)
                let level = try context.option("level", as: Int.self)
                let removed = try context.storage.execute("DELETE FROM xp__rewards WHERE guild_id = ? AND level = ?",
                                                          [.id(guild), .integer(Int64(level))]).changes
                return .message(removed > 0 ? "Level \(level) gives no role now." : "Level \(level) had no reward.", ephemeral: true)
            },
            Command("list", "The level rewards of this server") { _, context in
                let guild = try context.requireGuild()
                let rows = try context.storage.query("SELECT level, role_id FROM xp__rewards WHERE guild_id = ? ORDER BY level", [.id(guild)])
                guard !rows.isEmpty else { return .message("No level rewards yet: `/xp-rewards add`.", ephemeral: true) }
                let lines = rows.map { "Level \($0["level"].integer ?? 0): <@&\($0["role_id"].snowflake?.rawValue ?? 0)>" }
                return .embed(Embed(title: "Level rewards", description: lines.joined(separator: "\n")), ephemeral: true)
            },
        ])
    }

    static func requireRoleManager(_ context: CommandContext) throws -> Snowflake {
        let guild = try context.requireGuild()
        guard context.memberPermissions?.contains(.manageRoles) == true else {
            throw CommandError("Level rewards need the Manage Roles permission.")
        }
        return guild
    }

    static func applyMessageSettings(_ context: CommandContext, guild: Snowflake) throws {
        if let xp = context.optionIfPresent("message_xp", as: Int.self) { try context.storage.set(messageXP, to: xp, in: .guild(guild)) }
        if let seconds = context.optionIfPresent("message_cooldown_seconds", as: Int.self) {
            try context.storage.set(messageCooldownSeconds, to: seconds, in: .guild(guild))
        }
        if let announce = context.optionIfPresent("announce_level_ups", as: Bool.self) {
            try context.storage.set(announcesLevelUps, to: announce, in: .guild(guild))
        }
        if let channel = context.optionIfPresent("level_up_channel", as: Channel.self) {
            try context.storage.set(levelUpChannel, to: channel.id.rawValue, in: .guild(guild))
        }
    }

    static func messageSettingsSummary(_ guild: Snowflake, _ storage: CogStorage) throws -> String {
        let xp = try storage.get(messageXP, in: .guild(guild))
        let seconds = try storage.get(messageCooldownSeconds, in: .guild(guild))
        let channel = try storage.get(levelUpChannel, in: .guild(guild))
        let announce = try storage.get(announcesLevelUps, in: .guild(guild))
            ? "level-ups announced \(channel == 0 ? "where the member spoke" : "in <#\(channel)>")" : "level-ups not announced"
        return "XP per message: \(xp), at most every \(seconds) s; \(announce)."
    }

    /// A member's message earns XP, once per cooldown; a new level is announced (if the guild
    /// wants it) and gives the roles of the levels reached.
    static func earn(from message: Message, _ context: EventContext) async throws {
        guard let guild = message.guildID, let author = message.author, message.webhookID == nil, message.type == 0 || message.type == 19 else {
            return
        }
        let amount = try context.storage.get(messageXP, in: .guild(guild))
        guard amount > 0 else { return }
        let cooldown = Int64(try context.storage.get(messageCooldownSeconds, in: .guild(guild)))
        // The message's own time, so the cooldown holds however late the event is handled.
        let now = Int64(message.id.createdAt.timeIntervalSince1970)
        let row = try context.storage.query(
            "SELECT xp, last_message_at FROM xp__members WHERE guild_id = ? AND user_id = ?", [.id(guild), .id(author.id)]
        ).first
        if let last = row?["last_message_at"].integer, last > 0, now - last < cooldown { return }
        try context.storage.execute("""
            INSERT INTO xp__members (guild_id, user_id, xp, last_message_at) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (guild_id, user_id) DO UPDATE SET xp = xp + ?3, last_message_at = ?4
            """, [.id(guild), .id(author.id), .integer(Int64(amount)), .integer(now)])
        let before = XPLevel(xp: row?["xp"].integer ?? 0).level
        let after = XPLevel(xp: (row?["xp"].integer ?? 0) + Int64(amount)).level
        guard after > before else { return }
        let rewards = try context.storage.query(
            "SELECT level, role_id FROM xp__rewards WHERE guild_id = ? AND level > ? AND level <= ? ORDER BY level",
            [.id(guild), .integer(before), .integer(after)]
        )
        var given: [String] = []
        for reward in rewards {
            guard let role = reward["role_id"].snowflake else { continue }
            do {
                try await context.discord.addRole(role, to: author.id, in: guild, reason: "xp: reached level \(reward["level"].integer ?? after)")
                given.append("<@&\(role.rawValue)>")
            } catch {
                context.logger.warning("could not give level reward \(role) to \(author.id) in \(guild): \(error)")
            }
        }
        guard try context.storage.get(announcesLevelUps, in: .guild(guild)) else { return }
        let configured = try context.storage.get(levelUpChannel, in: .guild(guild))
        var text = "🎉 \(author.id.userMention) reached level \(after)!"
        if !given.isEmpty { text += " They now have \(given.joined(separator: ", "))." }
        try await context.discord.send(to: configured == 0 ? message.channelID : Snowflake(configured), content: text)
    }
}
