/// The routing facts of one gateway event, read once by the host from the dispatch's raw `d`
/// and handed to the cog beside it in the appended fields of `cog_request` (0 when absent).
///
/// ```swift
/// let facts = try EventFacts(scanning: d, event: "MESSAGE_REACTION_ADD", shard: 0)
/// facts.guild, facts.channel, facts.message, facts.user
/// ```
public struct EventFacts: Sendable, Equatable {
    public var shard: UInt32
    public var guild: UInt64
    public var channel: UInt64
    public var user: UInt64
    public var message: UInt64

    public init(shard: UInt32 = 0, guild: UInt64 = 0, channel: UInt64 = 0, user: UInt64 = 0, message: UInt64 = 0) {
        self.shard = shard
        self.guild = guild
        self.channel = channel
        self.user = user
        self.message = message
    }

    /// What a dispatch's top-level `id` names, by the event's family.
    private enum TopLevelID { case guild, channel, message, none }

    private static func topLevelID(of event: String) -> TopLevelID {
        switch event {
        case "GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE": .guild
        case "CHANNEL_CREATE", "CHANNEL_UPDATE", "CHANNEL_DELETE", "THREAD_CREATE", "THREAD_UPDATE", "THREAD_DELETE": .channel
        case "MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE": .message
        default: .none
        }
    }

    /// Reads the facts of `event` from its raw `d` without decoding the rest.
    public init(scanning d: UnsafeRawBufferPointer, event: String, shard: UInt32) throws {
        self.init(shard: shard)
        var topLevel: UInt64 = 0
        var author: UInt64 = 0
        var memberUser: UInt64 = 0
        var scanner = JSONScanner(d)
        scanner.skipWhitespace()
        guard scanner.peekKind() == .object else { return }
        try scanner.readObject { scanner, key in
            switch key {
            case "guild_id": guild = try scanner.readSnowflakeLeniently() ?? 0
            case "channel_id": channel = try scanner.readSnowflakeLeniently() ?? 0
            case "user_id": user = try scanner.readSnowflakeLeniently() ?? 0
            case "message_id": message = try scanner.readSnowflakeLeniently() ?? 0
            case "id": topLevel = try scanner.readSnowflakeLeniently() ?? 0
            case "author": author = try Self.nestedID(&scanner)
            case "user": user = try Self.nestedID(&scanner)
            case "member":
                guard scanner.peekKind() == .object else {
                    try scanner.skipValue()
                    return
                }
                try scanner.readObject { scanner, key in
                    if key == "user" { memberUser = try Self.nestedID(&scanner) } else { try scanner.skipValue() }
                }
            default: try scanner.skipValue()
            }
        }
        if user == 0 { user = author != 0 ? author : memberUser }
        switch Self.topLevelID(of: event) {
        case .guild: guild = topLevel
        case .channel: channel = topLevel
        case .message: message = topLevel
        case .none: break
        }
    }

    private static func nestedID(_ scanner: inout JSONScanner) throws -> UInt64 {
        guard scanner.peekKind() == .object else {
            try scanner.skipValue()
            return 0
        }
        var id: UInt64 = 0
        try scanner.readObject { scanner, key in
            if key == "id" { id = try scanner.readSnowflakeLeniently() ?? 0 } else { try scanner.skipValue() }
        }
        return id
    }
}
