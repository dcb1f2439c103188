import DiscordModels
import Foundation

/// What happens in the simulated guilds besides interactions: who is a member, the roles and
/// channels beyond the first, voice states and bans. ``DiscordSimulator``'s world methods change
/// it and emit the events Discord would, to the sessions whose intents cover them.
struct SimulatedWorld {
    struct Member {
        var username: String
        var roles: [Snowflake] = []
        var nick: String?
        /// When a timeout ends (ISO 8601), as Discord sends `communication_disabled_until`.
        var timedOutUntil: String?
    }

    struct Role {
        var name: String
        var permissions: UInt64
        var position: Int = 1
        /// The bot's own role: an integration's, which nobody gives or takes.
        var managed = false
    }

    struct Channel {
        var name: String
        var type: Int
        var parentID: Snowflake?

        /// Announcement, public and private threads (types 10, 11, 12).
        var isThread: Bool { (10...12).contains(type) }
    }

    var members: [Snowflake: [Snowflake: Member]] = [:]
    var roles: [Snowflake: [Snowflake: Role]] = [:]
    var channels: [Snowflake: [Snowflake: Channel]] = [:]
    var voice: [Snowflake: [Snowflake: Snowflake]] = [:]
    var bans: [Snowflake: Set<Snowflake>] = [:]
    /// The bot's own role in each guild.
    var botRoles: [Snowflake: Snowflake] = [:]
    /// The DM channel the bot opened with each user.
    var directMessageChannels: [Snowflake: Snowflake] = [:]
    /// Guilds the bot was added to after start, beside the configured ones.
    var joinedGuilds: [SimulatorConfiguration.Guild] = []
    private var nextID: UInt64 = 0

    /// The world at start: ``SimulatorConfiguration/membersPerGuild`` members in each guild.
    init(configuration: SimulatorConfiguration) {
        for guild in configuration.guilds { addBotRole(in: guild.id, configuration: configuration) }
        for guild in configuration.guilds where configuration.membersPerGuild > 0 {
            var members: [Snowflake: Member] = [:]
            for index in 1...configuration.membersPerGuild {
                members[Snowflake(guild.id.rawValue &+ UInt64(index) << 8)] = Member(username: "member\(index)")
            }
            self.members[guild.id] = members
        }
    }

    /// Gives the bot its managed role in `guild`, as Discord does when the bot is invited.
    mutating func addBotRole(in guild: Snowflake, configuration: SimulatorConfiguration) {
        let id = makeID()
        roles[guild, default: [:]][id] = Role(name: configuration.botUsername, permissions: configuration.botPermissions,
                                              position: configuration.botRolePosition, managed: true)
        botRoles[guild] = id
    }

    /// What the bot may do in `guild` by Discord's computation (without channel overwrites,
    /// which the simulated channels do not have): @everyone's permissions and its role's.
    func botPermissions(in guild: Snowflake) -> UInt64 {
        let permissions = SimulatedPayloads.everyonePermissions | (botRoles[guild].flatMap { roles[guild]?[$0]?.permissions } ?? 0)
        return permissions & 1 << 3 != 0 ? UInt64.max : permissions
    }

    /// The position of `user`'s highest role in `guild`: the owner above all, the bot at its role's.
    func topPosition(of user: Snowflake, in guild: Snowflake, configuration: SimulatorConfiguration) -> Int {
        if user == configuration.guildOwnerID { return .max }
        let held = user == configuration.botUserID ? botRoles[guild].map { [$0] } ?? [] : members[guild]?[user]?.roles ?? []
        return held.compactMap { roles[guild]?[$0]?.position }.max() ?? 0
    }

    /// A new snowflake for something created in the world.
    mutating func makeID() -> Snowflake {
        nextID += 1
        // Worker 1 in the snowflake's worker bits: the REST side's ids (worker 0) never collide
        // with these, however many are made in one millisecond up to 131,072.
        return Snowflake(Snowflake(date: Date()).rawValue | 1 << 17 | (nextID & 0x1FFFF))
    }

    /// The configured guilds and those the bot joined since.
    func guilds(in configuration: SimulatorConfiguration) -> [SimulatorConfiguration.Guild] {
        configuration.guilds + joinedGuilds
    }

    /// The guild that has `channel`, among the guilds' first channels and the channels created since.
    func guild(of channel: Snowflake, in configuration: SimulatorConfiguration) -> Snowflake? {
        guilds(in: configuration).first { $0.channelID == channel }?.id ?? channels.first { $0.value[channel] != nil }?.key
    }
}

extension SimulatedPayloads {
    static func member(_ userID: Snowflake, _ member: SimulatedWorld.Member, guild: Snowflake?) -> [String: Any] {
        var object: [String: Any] = [
            "user": user(id: userID, username: member.username, bot: false), "roles": member.roles.map(\.description),
            "joined_at": "2026-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0, "pending": false,
            "nick": member.nick as Any? ?? NSNull(), "avatar": NSNull(), "premium_since": NSNull(),
            "communication_disabled_until": member.timedOutUntil as Any? ?? NSNull(),
        ]
        if let guild { object["guild_id"] = guild.description }
        return object
    }

    static func role(_ id: Snowflake, _ role: SimulatedWorld.Role) -> [String: Any] {
        ["id": id.description, "name": role.name, "permissions": String(role.permissions), "position": role.position, "color": 0,
         "hoist": false, "managed": role.managed, "mentionable": false, "flags": 0, "icon": NSNull(), "unicode_emoji": NSNull(),
         "description": NSNull()]
    }

    static func channel(_ id: Snowflake, _ channel: SimulatedWorld.Channel, guild: Snowflake, position: Int) -> [String: Any] {
        ["id": id.description, "guild_id": guild.description, "type": channel.type, "name": channel.name, "position": position,
         "permission_overwrites": [], "nsfw": false, "parent_id": channel.parentID?.description as Any? ?? NSNull(), "flags": 0]
    }
}
