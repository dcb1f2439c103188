import Foundation
import Synchronization

/// Everything a handler knows about the interaction it answers — a slash command, a
/// context-menu command, a component click or a modal submit — and the services it may use.
///
/// The interaction arrives as raw JSON; CogKit decodes it on first use, so a handler that
/// only replies pays nothing for fields it never reads.
///
/// ```swift
/// Command("greet", "Greet someone", options: [.user("who", "Who to greet", required: true)]) { _, context in
///     let who: User = try context.option("who")
///     let times = context.option("times", default: 1)
///     return .message("Hello \(who.id.userMention) ×\(times), from \(context.user.displayName)")
/// }
/// ```
public final class CommandContext: Sendable {
    /// The command path that was invoked, e.g. `"roll"` or `"config show"`.
    public let route: String
    /// Writes to the host's log, attributed to this cog.
    public let logger: CogLogger
    /// The cog's key–value entries and tables in the host's database.
    public let storage: CogStorage
    /// Posts and changes the cog's own messages through the host.
    public let discord: DiscordClient
    /// Schedules or cancels runs of the cog's jobs.
    public let jobs: ScheduledRuns
    /// The guilds' activity counters kept by the host.
    public let activity: GuildActivity
    /// What the host knows of Discord: guilds, channels, roles, members, permissions, messages.
    public let cache: CacheLookup
    /// For a component or modal: the state string its custom_id carries. Empty otherwise.
    public let state: String

    private let requestID: UInt64
    private let host: HostServices?
    private let rawPayload: [UInt8]
    private let decoded = Mutex<InteractionPayload?>(nil)

    init(route: String, requestID: UInt64, payload: [UInt8], host: HostServices?, cog: String, state: String = "") {
        self.route = route
        self.requestID = requestID
        self.rawPayload = payload
        self.host = host
        self.state = state
        self.logger = CogLogger(host: host)
        self.storage = CogStorage(host: host)
        self.discord = DiscordClient(host: host, cog: cog)
        self.jobs = ScheduledRuns(host: host)
        self.activity = GuildActivity(host: host)
        self.cache = CacheLookup(host: host)
    }

    /// The user who ran the command.
    public var user: User {
        let payload = payload
        return payload.member?.user ?? payload.user ?? User(id: Snowflake(0), username: "unknown")
    }

    /// The guild the command ran in, or `nil` in a direct message.
    public var guildID: Snowflake? { payload.guild_id }

    /// The guild the command ran in.
    ///
    /// - Throws: ``CommandError`` telling the player the command works only in a server.
    public func requireGuild() throws -> Snowflake {
        guard let guildID else { throw CommandError("This command works only in a server.") }
        return guildID
    }

    /// The channel the command ran in.
    public var channelID: Snowflake? { payload.channel_id }

    /// The interaction's id.
    public var interactionID: Snowflake? { payload.id }

    /// The player's language, e.g. `"en-US"`.
    public var locale: String? { payload.locale }

    /// The guild's preferred language, if the command ran in a guild.
    public var guildLocale: String? { payload.guild_locale }

    /// The member's permissions in the channel, when the command ran in a guild.
    public var memberPermissions: Permissions? {
        payload.member?.permissions.flatMap(UInt64.init).map(Permissions.init(rawValue:))
    }

    /// Reads a required option.
    ///
    /// - Parameter name: The option's name.
    /// - Throws: ``OptionError`` when the option is missing or has another type; its message is
    ///   shown to the player.
    public func option<Value: OptionValue>(_ name: String, as type: Value.Type = Value.self) throws -> Value {
        guard let input = input(named: name) else {
            throw OptionError(option: name, problem: "is missing")
        }
        guard let value = Value(option: input) else {
            throw OptionError(option: name, problem: "has the wrong type (expected \(Value.self))")
        }
        return value
    }

    /// Reads an optional option, or `fallback` when the player left it out.
    public func option<Value: OptionValue>(_ name: String, default fallback: Value) -> Value {
        input(named: name).flatMap(Value.init(option:)) ?? fallback
    }

    /// Reads an optional option, or `nil` when the player left it out.
    public func optionIfPresent<Value: OptionValue>(_ name: String, as type: Value.Type = Value.self) -> Value? {
        input(named: name).flatMap(Value.init(option:))
    }

    /// Tells Discord the answer will take a while ("the bot is thinking…"). The reply the
    /// handler returns then replaces that message. The host also does this by itself when a
    /// handler takes longer than about 2.5 s.
    ///
    /// - Parameter ephemeral: Whether the eventual reply is visible only to the player.
    /// - Returns: `false` when the interaction was already answered or deferred.
    @discardableResult
    public func deferReply(ephemeral: Bool = false) -> Bool {
        host?.deferInteraction(requestID: requestID, ephemeral: ephemeral) ?? false
    }

    /// In an autocomplete handler: the option the player is typing and what they typed so far
    /// (numbers as their text). `nil` in a command handler.
    ///
    /// ```swift
    /// let typed = context.focusedOption?.value ?? ""
    /// ```
    public var focusedOption: (name: String, value: String)? {
        guard let node = payload.leafOptions.first(where: { $0.focused == true }) else { return nil }
        let text: String = switch node.value {
        case .string(let value): value
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .boolean(let value): String(value)
        case nil: ""
        }
        return (node.name, text)
    }

    /// For a select menu: the values the player picked.
    public var selectedValues: [String] { payload.data?.values ?? [] }

    /// For a modal submit: what the player typed in field `id`, or `nil`.
    public func modalValue(_ id: String) -> String? {
        for row in payload.data?.components ?? [] {
            if let input = row.components?.first(where: { $0.custom_id == id }) { return input.value }
        }
        return nil
    }

    /// For a component: the message it sits on, to edit later with ``discord``.
    public var message: SentMessage? {
        let payload = payload
        guard let message = payload.message, let channel = message.channel_id ?? payload.channel_id else { return nil }
        return SentMessage(channelID: channel, id: message.id)
    }

    /// For a user context-menu command: the user it was used on.
    public var targetUser: User? {
        let payload = payload
        guard let target = payload.data?.target_id else { return nil }
        return payload.data?.resolved?.users?[target.description]
    }

    /// For a message context-menu command: the message it was used on.
    public var targetMessage: TargetMessage? {
        let payload = payload
        guard let target = payload.data?.target_id,
              let message = payload.data?.resolved?.messages?[target.description] else { return nil }
        return TargetMessage(id: message.id, channelID: message.channel_id ?? payload.channel_id ?? Snowflake(0),
                             content: message.content ?? "", author: message.author)
    }

    private func input(named name: String) -> OptionInput? {
        let payload = payload
        guard let node = payload.leafOptions.first(where: { $0.name == name }), let scalar = node.value else {
            return nil
        }
        return OptionInput(scalar: scalar, resolved: payload.data?.resolved)
    }

    /// The invoker's membership as the interaction carries it.
    var interactionMember: InteractionPayload.Member? { payload.member }

    /// The members the options name, by user id.
    var resolvedMembers: [String: InteractionPayload.ResolvedMember]? { payload.data?.resolved?.members }

    private var payload: InteractionPayload {
        decoded.withLock { cached in
            if let cached { return cached }
            let value: InteractionPayload
            do {
                value = try JSONDecoder().decode(InteractionPayload.self, from: Data(rawPayload))
            } catch {
                logger.error("could not decode the interaction for /\(route): \(error)")
                value = InteractionPayload()
            }
            cached = value
            return value
        }
    }
}

/// The message a message context-menu command was used on.
public struct TargetMessage: Sendable, Equatable {
    public let id: Snowflake
    public let channelID: Snowflake
    /// Its text (empty unless the bot has the message content intent or wrote it).
    public let content: String
    public let author: User?
}
