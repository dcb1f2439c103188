import CCogABI
import Foundation

/// A handler for gateway events, like discord.py's `@commands.Cog.listener()`.
///
/// Declare a cog's listeners in ``Cog/listeners``. The host derives the gateway intents the bot
/// needs from them, delivers each event to each listening cog in its own queue (the events of
/// one guild in gateway order), and logs and counts a listener that throws.
///
/// ```swift
/// static var listeners: [Listener<Welcome>] {
///     [
///         .memberJoined { _, member, context in
///             // A channel the guild's managers chose, kept in the guild's settings (the host lets the cog post there).
///             let lobby = try context.storage.get(Self.lobby, in: .guild(member.guildID))
///             try await context.discord.send(to: Snowflake(lobby), content: "Welcome, \(member.user.id.userMention)!")
///         },
///         .reactionAdded { _, reaction, context in
///             context.logger.info("\(reaction.userID) reacted \(reaction.emoji.text)")
///         },
///         .raw("TYPING_START") { _, event, context in
///             context.logger.debug("typing in \(event.channelID?.description ?? "?")")
///         },
///     ]
/// }
/// ```
///
/// Typed listeners decode their payload only when they run; fields Discord may leave out are
/// optional, and an unknown value never fails the decode.
public struct Listener<C: Cog>: Sendable {
    /// Runs one event.
    public typealias Handler = @Sendable (C, EventPayload, EventContext) async throws -> Void

    /// The dispatch names this listener hears.
    public let events: [String]
    let handler: Handler

    /// Hears any dispatch by its gateway name (`"TYPING_START"`), with the raw payload.
    public static func raw(_ event: String, _ handler: @escaping Handler) -> Listener {
        Listener(events: [event], handler: handler)
    }

    /// A typed listener: decodes `Payload` from the event when it runs.
    static func typed<Payload: Decodable & Sendable>(
        _ events: [String], _ type: Payload.Type, when accepted: @escaping @Sendable (EventPayload) -> Bool = { _ in true },
        _ handler: @escaping @Sendable (C, Payload, EventContext) async throws -> Void
    ) -> Listener {
        Listener(events: events) { cog, event, context in
            guard accepted(event) else { return }
            try await handler(cog, try event.decode(Payload.self), context)
        }
    }
}

/// One gateway event as a cog receives it: the dispatch name, the payload exactly as Discord
/// sent it, and the ids the host found in it.
///
/// ```swift
/// .raw("MESSAGE_CREATE") { _, event, _ in
///     let message = try event.decode(Message.self)
/// }
/// ```
public struct EventPayload: Sendable {
    /// The dispatch name, e.g. `"MESSAGE_CREATE"`.
    public let name: String
    /// The dispatch's `d` object, as received from Discord.
    public let raw: [UInt8]
    /// The gateway shard the event arrived on.
    public let shard: Int
    /// The guild the event is about, when it has one.
    public let guildID: Snowflake?
    /// The channel the event is about.
    public let channelID: Snowflake?
    /// The user the event is about: a message's author, the member who joined or reacted.
    public let userID: Snowflake?
    /// The message the event is about.
    public let messageID: Snowflake?
    /// For a `GUILD_CREATE`: whether the bot joined the guild now (not reconnected to it).
    public let joinedGuild: Bool

    /// Decodes the payload as `type`, e.g. one of CogKit's event types or your own `Decodable`.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            // Messages and members, the most frequent events, are scanned: several times faster.
            if let scanned = T.self as? any ScannedPayload.Type, let value = try scanned.init(scanning: raw) as? T { return value }
            return try JSONDecoder().decode(T.self, from: Data(raw))
        } catch {
            throw EventDecodingError(event: name, type: "\(T.self)", reason: "\(error)")
        }
    }

    /// - Parameters: the event as the host delivers it; see ``CogKitTesting`` for building one in tests.
    public init(name: String, raw: [UInt8], shard: Int = 0, guildID: Snowflake? = nil, channelID: Snowflake? = nil,
                userID: Snowflake? = nil, messageID: Snowflake? = nil, joinedGuild: Bool = false) {
        self.name = name
        self.raw = raw
        self.shard = shard
        self.guildID = guildID
        self.channelID = channelID
        self.userID = userID
        self.messageID = messageID
        self.joinedGuild = joinedGuild
    }

    init(name: String, raw: [UInt8], request: cog_request) {
        let hasFacts = Int(request.struct_size) >= MemoryLayout<cog_request>.size
        func id(_ value: UInt64) -> Snowflake? { hasFacts && value != 0 ? Snowflake(value) : nil }
        self.init(name: name, raw: raw, shard: hasFacts ? Int(request.shard) : 0, guildID: id(request.guild_id),
                  channelID: id(request.channel_id), userID: id(request.user_id), messageID: id(request.message_id),
                  joinedGuild: hasFacts && request.event_flags & COG_EVENT_GUILD_JOINED.rawValue != 0)
    }
}

/// An event's payload did not have the shape its listener expected.
public struct EventDecodingError: Error, Sendable, CustomStringConvertible {
    public let event: String
    public let type: String
    public let reason: String

    public var description: String { "\(event) did not decode as \(type): \(reason)" }
}

/// What a listener can use: the cog's storage and jobs, Discord actions, the cache, and the log.
///
/// ```swift
/// .messageCreated { _, message, context in
///     guard let guild = message.guildID, let author = message.author else { return }
///     try context.storage.execute("UPDATE xp__members SET xp = xp + 1 WHERE guild_id = ? AND user_id = ?",
///                                 [.id(guild), .id(author.id)])
/// }
/// ```
public final class EventContext: Sendable {
    /// The event being handled.
    public let event: EventPayload
    /// Writes to the host's log, attributed to this cog.
    public let logger: CogLogger
    /// The cog's key–value entries and tables.
    public let storage: CogStorage
    /// Posts and changes the cog's own messages, reacts.
    public let discord: DiscordClient
    /// Schedules or cancels runs of the cog's jobs.
    public let jobs: ScheduledRuns
    /// What the host knows of Discord: guilds, channels, roles, members, permissions, messages.
    public let cache: CacheLookup

    init(event: EventPayload, host: HostServices?, cog: String) {
        self.event = event
        logger = CogLogger(host: host)
        storage = CogStorage(host: host)
        discord = DiscordClient(host: host, cog: cog)
        jobs = ScheduledRuns(host: host)
        cache = CacheLookup(host: host)
    }
}
