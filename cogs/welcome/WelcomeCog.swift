import CogKit
import Foundation

/// Greets members who join, in the channel each server chose, from its template; optionally
/// DMs them and gives them a role; says goodbye when they leave. `/welcome` (Manage Server)
/// configures it, per server.
///
/// Templates take `{user}` (a mention), `{name}`, `{guild}` and `{member_count}`.
struct WelcomeCog: Cog {
    static let name = "welcome"
    static let version = "1.0.0"
    static let capabilities: [Capability] = [.messagesSend, .dm, .membersRoles]

    /// Where greetings and goodbyes go (0: nowhere): a guild setting, so the host lets the cog post there.
    static let channelKey = StorageKey<UInt64>("channel", default: 0)
    static let greetingKey = StorageKey<String>("greeting", default: "Welcome to {guild}, {user}! You are member #{member_count}.")
    static let goodbyeKey = StorageKey<String>("goodbye", default: "")
    static let directMessageKey = StorageKey<String>("dm", default: "")
    static let autoRoleKey = StorageKey<UInt64>("auto_role", default: 0)

    static var commands: [Command<WelcomeCog>] {
        [
            Command("welcome", "Greet new members", defaultMemberPermissions: .manageGuild, subcommands: [
                Command("channel", "Post greetings and goodbyes in a channel",
                        options: [.channel("channel", "Where to post them", required: true)]) { _, context in
                    let guild = try requireManager(context)
                    let channel: Channel = try context.option("channel")
                    try context.storage.set(channelKey, to: channel.id.rawValue, in: .guild(guild))
                    return .message("👋 New members will be greeted in \(channel.mention).", ephemeral: true)
                },
                Command("message", "The greeting: {user}, {name}, {guild} and {member_count} are filled in",
                        options: [.string("template", "The greeting", required: true, maxLength: 1_500)]) { _, context in
                    let guild = try requireManager(context)
                    let template: String = try context.option("template")
                    try context.storage.set(greetingKey, to: template, in: .guild(guild))
                    return .message("The greeting is now: \(preview(template, context))", ephemeral: true)
                },
                Command("goodbye", "A message when a member leaves; empty turns it off",
                        options: [.string("template", "The goodbye ({name}, {guild}, {member_count})", maxLength: 1_500)]) { _, context in
                    let guild = try requireManager(context)
                    let template = context.optionIfPresent("template", as: String.self) ?? ""
                    try context.storage.set(goodbyeKey, to: template, in: .guild(guild))
                    return .message(template.isEmpty ? "Goodbyes are off." : "The goodbye is now: \(preview(template, context))", ephemeral: true)
                },
                Command("dm", "Also send new members a direct message; empty turns it off",
                        options: [.string("template", "The direct message", maxLength: 1_500)]) { _, context in
                    let guild = try requireManager(context)
                    let template = context.optionIfPresent("template", as: String.self) ?? ""
                    try context.storage.set(directMessageKey, to: template, in: .guild(guild))
                    return .message(template.isEmpty ? "No direct message on join." : "New members will get: \(preview(template, context))",
                                    ephemeral: true)
                },
                Command("autorole", "Give new members a role; leave it out to stop",
                        options: [.role("role", "The role (below the bot's own)")]) { _, context in
                    let guild = try requireManager(context)
                    guard let role = context.optionIfPresent("role", as: Role.self) else {
                        try context.storage.reset(autoRoleKey, in: .guild(guild))
                        return .message("New members get no role.", ephemeral: true)
                    }
                    // A manager hands out only what ranks below them, as Discord's own role menu allows.
                    guard try await context.outranks(role: role.id) else {
                        throw CommandError("\(role.mention) is not below your highest role, so you cannot make it the auto-role.")
                    }
                    try context.storage.set(autoRoleKey, to: role.id.rawValue, in: .guild(guild))
                    return .message("New members will get \(role.mention).", ephemeral: true)
                },
                Command("show", "Show this server's welcome settings") { _, context in
                    let guild = try requireManager(context)
                    return .embed(try settings(guild, context.storage), ephemeral: true)
                },
            ]),
        ]
    }

    static var listeners: [Listener<WelcomeCog>] {
        [
            .memberJoined { _, member, context in try await welcome(member, context) },
            .memberLeft { _, left, context in try await sayGoodbye(left, context) },
        ]
    }

    init(setup: CogSetup) {}

    static func requireManager(_ context: CommandContext) throws -> Snowflake {
        let guild = try context.requireGuild()
        guard context.memberPermissions?.contains(.manageGuild) == true else {
            throw CommandError("Setting up greetings needs the Manage Server permission.")
        }
        return guild
    }

    /// The greeting, the DM and the role for a member who joined. Each part that fails (the
    /// member closed their DMs, the role is above the bot's) is logged; the others still happen.
    static func welcome(_ member: Member, _ context: EventContext) async throws {
        let guild = member.guildID
        let snapshot = try await context.cache.guild(guild)
        let fill = { (template: String) in
            render(template, user: member.user, guild: snapshot?.name ?? "the server", memberCount: snapshot?.memberCount ?? 0)
        }
        var failures: [String] = []
        let channel = try context.storage.get(channelKey, in: .guild(guild))
        if channel != 0 {
            do {
                try await context.discord.send(to: Snowflake(channel), content: fill(try context.storage.get(greetingKey, in: .guild(guild))))
            } catch {
                failures.append("greeting: \(error)")
            }
        }
        let directMessage = try context.storage.get(directMessageKey, in: .guild(guild))
        if !directMessage.isEmpty {
            do {
                try await context.discord.sendDirectMessage(to: member.user.id, content: fill(directMessage))
            } catch {
                failures.append("direct message: \(error)")
            }
        }
        let role = try context.storage.get(autoRoleKey, in: .guild(guild))
        if role != 0 {
            do {
                try await context.discord.addRole(Snowflake(role), to: member.user.id, in: guild, reason: "welcome: auto-role on join")
            } catch {
                failures.append("auto-role: \(error)")
            }
        }
        for failure in failures { context.logger.warning("welcoming \(member.user.id) in \(guild): \(failure)") }
    }

    static func sayGoodbye(_ left: GuildUser, _ context: EventContext) async throws {
        let guild = left.guildID
        let template = try context.storage.get(goodbyeKey, in: .guild(guild))
        let channel = try context.storage.get(channelKey, in: .guild(guild))
        guard !template.isEmpty, channel != 0 else { return }
        let snapshot = try await context.cache.guild(guild)
        try await context.discord.send(to: Snowflake(channel), content: render(template, user: left.user, guild: snapshot?.name ?? "the server",
                                                                               memberCount: snapshot?.memberCount ?? 0))
    }

    /// A template with its placeholders filled in.
    static func render(_ template: String, user: User, guild: String, memberCount: Int) -> String {
        let text = template.replacingOccurrences(of: "{user}", with: user.id.userMention)
            .replacingOccurrences(of: "{name}", with: user.displayName)
            .replacingOccurrences(of: "{guild}", with: guild)
            .replacingOccurrences(of: "{member_count}", with: String(memberCount))
        // Filled in, a template may grow past Discord's 2,000 characters.
        return clipped(text, to: 2_000)
    }

    /// `text` within `limit` characters as Discord counts them (Unicode scalars).
    static func clipped(_ text: String, to limit: Int) -> String {
        guard text.unicodeScalars.count > limit else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit - 1))) + "…"
    }

    /// A template as the manager would see it for themselves.
    static func preview(_ template: String, _ context: CommandContext) -> String {
        // Room for the words around it in the reply.
        clipped(render(template, user: context.user, guild: "this server", memberCount: 42), to: 1_900)
    }

    static func settings(_ guild: Snowflake, _ storage: CogStorage) throws -> Embed {
        let channel = try storage.get(channelKey, in: .guild(guild))
        let role = try storage.get(autoRoleKey, in: .guild(guild))
        var embed = Embed(title: "👋 Welcome settings", colour: 0x57F287)
        embed.fields = [
            Embed.Field(name: "Channel", value: channel == 0 ? "none: greetings are off" : "<#\(channel)>"),
            Embed.Field(name: "Greeting", value: clipped(try storage.get(greetingKey, in: .guild(guild)), to: 1_024)),
            Embed.Field(name: "Goodbye", value: clipped(try storage.get(goodbyeKey, in: .guild(guild)).nonEmpty ?? "off", to: 1_024)),
            Embed.Field(name: "Direct message", value: clipped(try storage.get(directMessageKey, in: .guild(guild)).nonEmpty ?? "off", to: 1_024)),
            Embed.Field(name: "Auto-role", value: role == 0 ? "none" : "<@&\(role)>"),
        ]
        return embed
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}

@_cdecl("cog_entry")
public func cogEntry() -> UnsafeRawPointer { exportCog(WelcomeCog.self) }
