import CogKit
import Foundation

/// Roles members give themselves: by reacting to a message (`/reactionrole add`), or with the
/// buttons of a panel (`/reactionrole panel`). Adding the reaction gives the role, removing it
/// takes the role away; a panel's button toggles it. The bindings live in the cog's table, and
/// a panel's buttons carry their role, so both keep working across reloads and restarts.
struct ReactionRolesCog: Cog {
    static let name = "reactionroles"
    static let version = "1.0.0"
    static let capabilities: [Capability] = [.messagesSend, .membersRoles]

    static let migrations = [
        SchemaMigration(1, "reaction bindings", sql: """
            CREATE TABLE reactionroles__bindings (
                message_id INTEGER NOT NULL,
                emoji TEXT NOT NULL,
                guild_id INTEGER NOT NULL,
                channel_id INTEGER NOT NULL,
                role_id INTEGER NOT NULL,
                PRIMARY KEY (message_id, emoji)
            ) STRICT;
            CREATE INDEX reactionroles__bindings_by_guild ON reactionroles__bindings (guild_id);
            """),
    ]

    static var commands: [Command<ReactionRolesCog>] {
        [
            Command("reactionrole", "Let members give themselves roles", defaultMemberPermissions: .manageRoles, subcommands: [
                Command("add", "A reaction on a message gives a role",
                        options: [
                            .string("message", "The message's link or id (in this channel)", required: true, maxLength: 200),
                            .string("emoji", "The emoji to react with", required: true, maxLength: 100),
                            .role("role", "The role it gives", required: true),
                        ]) { _, context in
                    try await add(context)
                },
                Command("remove", "Stop a reaction giving a role",
                        options: [
                            .string("message", "The message's link or id", required: true, maxLength: 200),
                            .string("emoji", "The emoji", required: true, maxLength: 100),
                        ]) { _, context in
                    try remove(context)
                },
                Command("list", "The reaction roles of this server") { _, context in
                    try list(context)
                },
                Command("panel", "Post buttons that give and take roles",
                        options: [
                            .string("title", "What the panel says", required: true, maxLength: 200),
                            .role("first", "A role", required: true),
                            .role("second", "Another role"),
                            .role("third", "Another role"),
                            .role("fourth", "Another role"),
                            .role("fifth", "Another role"),
                        ]) { _, context in
                    try await panel(context)
                },
            ]),
        ]
    }

    static var actions: [Action<ReactionRolesCog>] {
        [Action("toggle") { _, context in try await toggle(context) }]
    }

    static var listeners: [Listener<ReactionRolesCog>] {
        [
            .reactionAdded { _, reaction, context in try await react(reaction, adding: true, context) },
            .reactionRemoved { _, reaction, context in try await react(reaction, adding: false, context) },
        ]
    }

    init(setup: CogSetup) {}

    // MARK: Set-up

    static func requireManager(_ context: CommandContext) throws -> Snowflake {
        let guild = try context.requireGuild()
        guard context.memberPermissions?.contains(.manageRoles) == true else {
            throw CommandError("Setting up reaction roles needs the Manage Roles permission.")
        }
        return guild
    }

    static func add(_ context: CommandContext) async throws -> Reply {
        let guild = try requireManager(context)
        let (channel, message) = try messageReference(try context.option("message"), context)
        guard try await context.cache.channel(channel)?.guildID == guild else { throw CommandError("That message is not in this server.") }
        let emoji = try normalised(try context.option("emoji"))
        let role: Role = try context.option("role")
        try await requireGivable(role, in: guild, context)
        // The bot's reaction shows members what to click; a message it cannot see fails here, before anything is saved.
        do {
            try await context.discord.react(with: emoji, to: SentMessage(channelID: channel, id: message))
        } catch let error as ServiceCallError {
            throw CommandError("I could not react to that message: \(error.message)")
        }
        try context.storage.execute("""
            INSERT INTO reactionroles__bindings (message_id, emoji, guild_id, channel_id, role_id) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (message_id, emoji) DO UPDATE SET role_id = excluded.role_id
            """, [.id(message), .text(emoji), .id(guild), .id(channel), .id(role.id)])
        return .message("Reacting with \(display(emoji)) on that message now gives \(role.mention); removing the reaction takes it away.",
                        ephemeral: true)
    }

    static func remove(_ context: CommandContext) throws -> Reply {
        let guild = try requireManager(context)
        let (_, message) = try messageReference(try context.option("message"), context)
        let emoji = try normalised(try context.option("emoji"))
        let removed = try context.storage.execute(
            "DELETE FROM reactionroles__bindings WHERE guild_id = ? AND message_id = ? AND emoji = ?", [.id(guild), .id(message), .text(emoji)]
        ).changes
        return .message(removed > 0 ? "That reaction no longer gives a role." : "That message has no reaction role for \(display(emoji)).",
                        ephemeral: true)
    }

    static func list(_ context: CommandContext) throws -> Reply {
        let guild = try requireManager(context)
        let rows = try context.storage.query(
            "SELECT channel_id, message_id, emoji, role_id FROM reactionroles__bindings WHERE guild_id = ? ORDER BY message_id, emoji LIMIT 50",
            [.id(guild)]
        )
        guard !rows.isEmpty else { return .message("No reaction roles yet: `/reactionrole add`.", ephemeral: true) }
        let lines = rows.map { row in
            let link = "https://discord.com/channels/\(guild)/\(row["channel_id"].snowflake?.rawValue ?? 0)/\(row["message_id"].snowflake?.rawValue ?? 0)"
            return "\(display(row["emoji"].text ?? "")) → <@&\(row["role_id"].snowflake?.rawValue ?? 0)> on \(link)"
        }
        return .embed(Embed(title: "Reaction roles", description: String(lines.joined(separator: "\n").prefix(4_000))), ephemeral: true)
    }

    static func panel(_ context: CommandContext) async throws -> Reply {
        let guild = try requireManager(context)
        let title: String = try context.option("title")
        let roles = ["first", "second", "third", "fourth", "fifth"].compactMap { context.optionIfPresent($0, as: Role.self) }
        for role in roles { try await requireGivable(role, in: guild, context) }
        // Discord's button labels hold 80 characters; role names up to 100.
        let buttons = roles.map { Button(String(($0.name ?? "Role").prefix(80)), action: "toggle", state: String($0.id.rawValue), style: .secondary) }
        return Reply(embeds: [Embed(title: title, description: "Click a button to get the role, or to give it back.")],
                     components: [ActionRow(buttons)])
    }

    // MARK: Members

    /// A reaction on a bound message gives or takes its role.
    static func react(_ reaction: Reaction, adding: Bool, _ context: EventContext) async throws {
        guard let guild = reaction.guildID,
              let row = try context.storage.query(
                "SELECT role_id FROM reactionroles__bindings WHERE message_id = ? AND emoji = ? AND guild_id = ?",
                [.id(reaction.messageID), .text(reaction.emoji.text), .id(guild)]
              ).first, let role = row["role_id"].snowflake else { return }
        if adding {
            try await context.discord.addRole(role, to: reaction.userID, in: guild, reason: "reaction role \(reaction.emoji.text)")
        } else {
            try await context.discord.removeRole(role, from: reaction.userID, in: guild, reason: "reaction role \(reaction.emoji.text) removed")
        }
    }

    /// A panel's button: the clicker gets the role, or gives it back.
    static func toggle(_ context: CommandContext) async throws -> Reply {
        let guild = try context.requireGuild()
        guard let id = UInt64(context.state) else { throw CommandError("This button is broken; ask a manager for a new panel.") }
        let role = Snowflake(id)
        let holds = try await context.cache.member(context.user.id, in: guild)?.roles.contains(role) ?? false
        do {
            if holds {
                try await context.discord.removeRole(role, from: context.user.id, in: guild, reason: "reaction role panel")
                return .message("You no longer have <@&\(role)>.", ephemeral: true)
            }
            try await context.discord.addRole(role, to: context.user.id, in: guild, reason: "reaction role panel")
            return .message("You now have <@&\(role)>.", ephemeral: true)
        } catch let error as ServiceCallError where error.isDenied {
            context.logger.warning("panel role \(role) in \(guild): \(error.message)")
            throw CommandError("I cannot give that role right now; a manager has been told why in the bot's logs.")
        }
    }

    // MARK: Helpers

    /// A role the bot may give: not @everyone, not an integration's, below the bot's highest role.
    static func requireGivable(_ role: Role, in guild: Snowflake, _ context: CommandContext) async throws {
        guard role.id != guild else { throw CommandError("Everyone already has @everyone.") }
        // A manager hands out only what ranks below them, as Discord's own role menu allows.
        guard try await context.outranks(role: role.id) else {
            throw CommandError("\(role.mention) is not below your highest role, so you cannot hand it out.")
        }
        guard let snapshot = try await context.cache.guild(guild) else { return }
        guard let position = snapshot.roles.first(where: { $0.id == role.id })?.position, position < snapshot.botPosition else {
            throw CommandError("\(role.mention) is not below my highest role, so I cannot give it. Move my role above it in Server Settings → Roles.")
        }
    }

    /// A message link (`https://discord.com/channels/guild/channel/message`) or an id in this channel.
    static func messageReference(_ text: String, _ context: CommandContext) throws -> (channel: Snowflake, message: Snowflake) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/")
        if parts.count >= 3, let message = UInt64(parts[parts.count - 1]), let channel = UInt64(parts[parts.count - 2]) {
            guard let guild = UInt64(parts[parts.count - 3]), guild == context.guildID?.rawValue else {
                throw CommandError("That message is in another server.")
            }
            return (Snowflake(channel), Snowflake(message))
        }
        guard let message = UInt64(text.trimmingCharacters(in: .whitespaces)), let channel = context.channelID else {
            throw CommandError("Give the message's link (Copy Message Link) or its id.")
        }
        return (channel, Snowflake(message))
    }

    /// The emoji as reactions name it: the character, or `name:id` for `<:name:id>`.
    static func normalised(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("<"), trimmed.hasSuffix(">") {
            let parts = trimmed.dropFirst().dropLast().split(separator: ":")
            guard parts.count >= 2, UInt64(parts[parts.count - 1]) != nil else { throw CommandError("That is not an emoji.") }
            return "\(parts[parts.count - 2]):\(parts[parts.count - 1])"
        }
        guard !trimmed.isEmpty, trimmed.count <= 8, !trimmed.contains(where: \.isLetter) else {
            throw CommandError("Give one emoji, such as 🎮 or a server emoji.")
        }
        return trimmed
    }

    static func display(_ emoji: String) -> String {
        emoji.contains(":") ? "<:\(emoji)>" : emoji
    }
}

@_cdecl("cog_entry")
public func cogEntry() -> UnsafeRawPointer { exportCog(ReactionRolesCog.self) }
