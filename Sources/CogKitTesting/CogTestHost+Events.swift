import CogWire
import Foundation

/// Gateway events fired at the cog under test, through the host's cache and event delivery as
/// the bot does it: the cog's listeners run, and each method returns when they are done.
///
/// ```swift
/// let bot = try await CogTestHost.start(cog: "welcome")
/// await bot.memberJoins(.player)
/// #expect(bot.postedMessages.last?.message.text.contains("Welcome, bob") == true)
///
/// let said = await bot.say("hello", as: .player)
/// await bot.react("👍", to: said, as: .otherPlayer)
/// await bot.fire("GUILD_BAN_ADD", payload: #"{"guild_id":"900000000000000001","user":{"id":"5","username":"eve"}}"#)
/// ```
///
/// The harness starts as a bot that has just connected: READY, then a GUILD_CREATE for
/// ``CogTestHost/defaultGuild`` with two channels (``CogTestHost/defaultChannel``,
/// ``CogTestHost/secondChannel``), an `@everyone` role allowing what members usually may, the
/// roles ``CogTestHost/memberRole``, ``CogTestHost/moderatorRole`` and ``CogTestHost/roleAboveBot``,
/// and the bot's own member with its role ``CogTestHost/botRole``, so `context.cache` knows the
/// guild and the host's checks of Discord actions see what Discord would.
extension CogTestHost {
    /// The bot's user id in the harness: its messages and reactions reach only cogs that ask for them.
    public static let botUserID: UInt64 = 1_100_000_000_000_000_002

    /// Fires the dispatch `event` with `payload` as its `d` (the JSON Discord would send) and
    /// waits until every listening cog has handled it.
    public func fire(_ event: String, payload: String) async {
        await fire(event, payload: Array(payload.utf8))
    }

    /// Fires the dispatch `event` with the `d` bytes `payload` and waits for the listeners.
    public func fire(_ event: String, payload: [UInt8]) async {
        host.hear(event: event, payload: payload[...], shard: 0)
        await host.settled()
    }

    // MARK: Members

    /// `user` joins `guild`: GUILD_MEMBER_ADD.
    public func memberJoins(_ user: TestUser, roles: [UInt64] = [], guild: UInt64 = defaultGuild) async {
        await fire("GUILD_MEMBER_ADD", payload: Self.member(user, roles: roles, guild: guild))
    }

    /// `user`'s roles or nickname change: GUILD_MEMBER_UPDATE.
    public func memberUpdated(_ user: TestUser, roles: [UInt64], nick: String? = nil, guild: UInt64 = defaultGuild) async {
        await fire("GUILD_MEMBER_UPDATE", payload: Self.member(user, roles: roles, nick: nick, guild: guild))
    }

    /// `user` leaves `guild`: GUILD_MEMBER_REMOVE.
    public func memberLeaves(_ user: TestUser, guild: UInt64 = defaultGuild) async {
        var writer = JSONWriter()
        writer.object { object in
            object.field("guild_id", snowflake: guild)
            object.key("user")
            Self.user(user, into: &object)
        }
        await fire("GUILD_MEMBER_REMOVE", payload: writer.bytes)
    }

    // MARK: Messages

    /// `user` posts `content` in `channel`: MESSAGE_CREATE.
    ///
    /// - Returns: The message's id, for ``editMessage(_:content:by:channel:guild:)``, ``deleteMessage(_:channel:guild:)`` and ``react(_:to:as:channel:guild:)``.
    @discardableResult
    public func say(_ content: String, as user: TestUser = .player, channel: UInt64 = defaultChannel,
                    guild: UInt64 = defaultGuild) async -> UInt64 {
        let id = eventIDs.withLock { id in
            id += 1
            return id
        }
        let payload = Self.message(id, content, by: user, channel: channel, guild: guild, edited: false)
        discord.noteMessage(id, channel: channel, payload: payload)
        await fire("MESSAGE_CREATE", payload: payload)
        return id
    }

    /// `user` edits message `id` to `content`: MESSAGE_UPDATE.
    public func editMessage(_ id: UInt64, content: String, by user: TestUser = .player, channel: UInt64 = defaultChannel,
                            guild: UInt64 = defaultGuild) async {
        await fire("MESSAGE_UPDATE", payload: Self.message(id, content, by: user, channel: channel, guild: guild, edited: true))
    }

    /// Message `id` is deleted: MESSAGE_DELETE.
    public func deleteMessage(_ id: UInt64, channel: UInt64 = defaultChannel, guild: UInt64 = defaultGuild) async {
        var writer = JSONWriter()
        writer.object { object in
            object.field("id", snowflake: id)
            object.field("channel_id", snowflake: channel)
            object.field("guild_id", snowflake: guild)
        }
        await fire("MESSAGE_DELETE", payload: writer.bytes)
    }

    // MARK: Reactions

    /// `user` reacts to message `id` with a Unicode `emoji`: MESSAGE_REACTION_ADD.
    public func react(_ emoji: String, to id: UInt64, as user: TestUser = .player, channel: UInt64 = defaultChannel,
                      guild: UInt64 = defaultGuild) async {
        await fire("MESSAGE_REACTION_ADD", payload: Self.reaction(emoji, on: id, by: user, channel: channel, guild: guild))
    }

    /// `user` takes their reaction away: MESSAGE_REACTION_REMOVE.
    public func unreact(_ emoji: String, to id: UInt64, as user: TestUser = .player, channel: UInt64 = defaultChannel,
                        guild: UInt64 = defaultGuild) async {
        await fire("MESSAGE_REACTION_REMOVE", payload: Self.reaction(emoji, on: id, by: user, channel: channel, guild: guild))
    }

    // MARK: Start-up

    /// A second text channel of the default guild, #news, for settings that name a channel.
    public static let secondChannel: UInt64 = 900_000_000_000_000_003

    /// The bot's own role in the default guild, "Cogwheel" at position 10 (managed, as an
    /// integration's role is): it may moderate, manage messages, roles, nicknames and threads,
    /// but is no administrator, so role hierarchy applies.
    public static let botRole: UInt64 = 900_000_000_000_000_010
    /// A role below the bot's, "Member" (position 1), which the bot may give and take.
    public static let memberRole: UInt64 = 900_000_000_000_000_011
    /// A role below the bot's, "Moderator" (position 5).
    public static let moderatorRole: UInt64 = 900_000_000_000_000_012
    /// A role above the bot's, "Council" (position 20), which the host refuses to give.
    public static let roleAboveBot: UInt64 = 900_000_000_000_000_013

    /// The default guild's roles: id, name, permissions, position.
    static let guildRoles: [(id: UInt64, name: String, permissions: UInt64, position: Int)] = [
        // View channels, send messages, add reactions, read history, use commands.
        (defaultGuild, "@everyone", 0x400 | 0x800 | 0x40 | 0x10000 | 0x8000_0000, 0),
        (memberRole, "Member", 0, 1),
        (moderatorRole, "Moderator", 1 << 40 | 1 << 13 | 1 << 1, 5),
        // Kick, ban, manage messages, attach files, embed links, manage nicknames and roles,
        // manage and create threads, send in threads, time out.
        (botRole, "Cogwheel", 1 << 1 | 1 << 2 | 1 << 13 | 1 << 15 | 1 << 14 | 1 << 27 | 1 << 28 | 1 << 34 | 1 << 35 | 1 << 36
            | 1 << 38 | 1 << 40, 10),
        (roleAboveBot, "Council", 0, 20),
    ]

    /// READY and the default guild's GUILD_CREATE, as a freshly connected bot receives them.
    func connect() async {
        host.events.recognise(botUser: Self.botUserID)
        var ready = JSONWriter()
        ready.object { object in
            object.field("v", 10)
            object.key("user")
            Self.user(TestUser(id: Self.botUserID, username: "Cogwheel"), bot: true, into: &object)
            object.key("guilds")
            object.array([Self.defaultGuild]) { array, guild in
                array.object { entry in
                    entry.field("id", snowflake: guild)
                    entry.field("unavailable", true)
                }
            }
            object.field("session_id", "harness")
        }
        await fire("READY", payload: ready.bytes)
        var guild = JSONWriter()
        guild.object { object in
            object.field("id", snowflake: Self.defaultGuild)
            object.field("name", "Cogwheel Test Guild")
            object.field("owner_id", snowflake: TestUser.admin.id)
            // The bot is the only member the guild lists; each join counts one more.
            object.field("member_count", 1)
            object.key("roles")
            object.array(Self.guildRoles) { array, role in
                array.object { entry in
                    entry.field("id", snowflake: role.id)
                    entry.field("name", role.name)
                    entry.field("permissions", String(role.permissions))
                    entry.field("position", role.position)
                    entry.field("managed", role.id == Self.botRole)
                }
            }
            object.key("channels")
            object.array([(Self.defaultChannel, "general"), (Self.secondChannel, "news")]) { array, channel in
                array.object { entry in
                    entry.field("id", snowflake: channel.0)
                    entry.field("type", 0)
                    entry.field("name", channel.1)
                    entry.field("position", 0)
                    entry.key("permission_overwrites")
                    entry.raw(Array("[]".utf8))
                }
            }
            object.key("members")
            object.array([Self.botUserID]) { array, bot in
                array.object { member in
                    member.key("user")
                    Self.user(TestUser(id: bot, username: "Cogwheel"), bot: true, into: &member)
                    member.key("roles")
                    member.array([Self.botRole]) { $0.string(String($1)) }
                }
            }
            for empty in ["emojis", "voice_states", "threads"] {
                object.key(empty)
                object.raw(Array("[]".utf8))
            }
        }
        await fire("GUILD_CREATE", payload: guild.bytes)
    }

    // MARK: Payloads

    private static func user(_ user: TestUser, bot: Bool = false, into writer: inout JSONWriter) {
        writer.object { object in
            object.field("id", snowflake: user.id)
            object.field("username", user.username)
            object.field("discriminator", "0")
            object.field("global_name", user.username)
            if bot { object.field("bot", true) }
        }
    }

    private static func member(_ user: TestUser, roles: [UInt64], nick: String? = nil, guild: UInt64) -> [UInt8] {
        var writer = JSONWriter()
        writer.object { object in
            object.field("guild_id", snowflake: guild)
            object.key("user")
            Self.user(user, into: &object)
            object.key("roles")
            object.array(roles) { array, role in array.string(String(role)) }
            if let nick { object.field("nick", nick) }
            object.field("joined_at", "2026-01-05T08:00:00.000000+00:00")
        }
        return writer.bytes
    }

    private static func message(_ id: UInt64, _ content: String, by user: TestUser, channel: UInt64, guild: UInt64,
                                edited: Bool) -> [UInt8] {
        var writer = JSONWriter()
        writer.object { object in
            object.field("id", snowflake: id)
            object.field("channel_id", snowflake: channel)
            object.field("guild_id", snowflake: guild)
            object.key("author")
            Self.user(user, bot: user.id == botUserID, into: &object)
            object.field("content", content)
            object.field("type", 0)
            object.field("timestamp", "2026-01-05T08:00:00.000000+00:00")
            if edited { object.field("edited_timestamp", "2026-01-05T08:01:00.000000+00:00") }
            object.key("member")
            object.raw(Array(#"{"roles":[]}"#.utf8))
        }
        return writer.bytes
    }

    private static func reaction(_ emoji: String, on id: UInt64, by user: TestUser, channel: UInt64, guild: UInt64) -> [UInt8] {
        var writer = JSONWriter()
        writer.object { object in
            object.field("user_id", snowflake: user.id)
            object.field("channel_id", snowflake: channel)
            object.field("message_id", snowflake: id)
            object.field("guild_id", snowflake: guild)
            object.key("emoji")
            object.object { emojiObject in
                emojiObject.key("id")
                emojiObject.null()
                emojiObject.field("name", emoji)
            }
        }
        return writer.bytes
    }
}
