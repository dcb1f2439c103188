import CogWire
import DiscordModels

/// The payloads of the most frequent dispatches (messages, members) read with CogWire's scanner
/// rather than `JSONDecoder`, which cost more than all the rest of the cache's work on them.
/// Same tolerance as the `Decodable` forms: every field but the ids optional, unknown ones skipped.
extension CachePayload {
    /// Scans `payload` with `read`; `nil` when it does not scan or lacks an id.
    static func scan<T>(_ payload: some Collection<UInt8>, _ read: (inout JSONScanner) throws -> T?) -> T? {
        let bytes = Array(payload)
        return try? JSONScanner.scan(bytes) { scanner in try read(&scanner) }
    }
}

extension CachePayload.User {
    init?(scanning scanner: inout JSONScanner) throws {
        if try scanner.skipNull() { return nil }
        var id: UInt64?
        var username: String?
        var globalName: String?
        try scanner.readObject { scanner, key in
            switch key {
            case "id": id = try scanner.readSnowflake()
            case "username": username = try scanner.readOptionalString()
            case "global_name": globalName = try scanner.readOptionalString()
            default: try scanner.skipValue()
            }
        }
        guard let id else { return nil }
        self.init(id: Snowflake(id), username: username, global_name: globalName)
    }
}

extension CachePayload.Member {
    init?(scanning scanner: inout JSONScanner) throws {
        if try scanner.skipNull() { return nil }
        var user: CachePayload.User?
        var guildID: UInt64?
        var nick: String?
        var roles: [Snowflake]?
        var joinedAt: String?
        var timedOutUntil: String?
        try scanner.readObject { scanner, key in
            switch key {
            case "user": user = try CachePayload.User(scanning: &scanner)
            case "guild_id": guildID = try scanner.readSnowflake()
            case "nick": nick = try scanner.readOptionalString()
            case "roles": roles = try scanner.readSnowflakes().map { Snowflake($0) }
            case "joined_at": joinedAt = try scanner.readOptionalString()
            case "communication_disabled_until": timedOutUntil = try scanner.readOptionalString()
            default: try scanner.skipValue()
            }
        }
        self.init(user: user, guild_id: guildID.map { Snowflake($0) }, nick: nick, roles: roles, joined_at: joinedAt,
                  communication_disabled_until: timedOutUntil)
    }
}

extension CachePayload.Message {
    init?(scanning scanner: inout JSONScanner) throws {
        var id: UInt64?
        var channelID: UInt64?
        var guildID: UInt64?
        var author: CachePayload.User?
        var member: CachePayload.Member?
        var content: String?
        try scanner.readObject { scanner, key in
            switch key {
            case "id": id = try scanner.readSnowflake()
            case "channel_id": channelID = try scanner.readSnowflake()
            case "guild_id": guildID = try scanner.readSnowflake()
            case "author": author = try CachePayload.User(scanning: &scanner)
            case "member": member = try CachePayload.Member(scanning: &scanner)
            case "content": content = try scanner.readOptionalString()
            default: try scanner.skipValue()
            }
        }
        guard let id, let channelID else { return nil }
        self.init(id: Snowflake(id), channel_id: Snowflake(channelID), guild_id: guildID.map { Snowflake($0) }, author: author,
                  member: member, content: content)
    }
}
