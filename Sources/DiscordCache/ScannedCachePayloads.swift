import CogWire
import DiscordModels

/// The payloads of the most frequent dispatches (messages, members) read with CogWire's scanner
/// rather than `JSONDecoder`, which cost more than all the rest of the cache's work on them.
/// Same tolerance as the `Decodable` forms: every field but the ids optional, unknown ones skipped.
extension CachePayload {
    /// Scans `payload` with `read`; `nil` when it does not scan or lacks an id. The bytes are
    /// read in place when they are contiguous, as a dispatch's are.
    static func scan<T>(_ payload: some Collection<UInt8>, _ read: (inout JSONScanner) throws -> T?) -> T? {
        func scan(_ raw: UnsafeRawBufferPointer) -> T? {
            var scanner = JSONScanner(raw)
            scanner.skipWhitespace()
            guard let value = try? read(&scanner), (try? scanner.expectEnd()) != nil else { return nil }
            return value
        }
        return payload.withContiguousStorageIfAvailable { scan(UnsafeRawBufferPointer($0)) } ?? Array(payload).withUnsafeBytes(scan)
    }
}

extension CachePayload.User {
    init(_ fields: UserFields) {
        self.init(id: Snowflake(fields.id), username: fields.username, global_name: fields.globalName)
    }
}

extension CachePayload.Member {
    init(_ fields: MemberFields) {
        self.init(user: fields.user.map(CachePayload.User.init), guild_id: fields.guildID.map { Snowflake($0) }, nick: fields.nick,
                  roles: fields.roles.map { Snowflake($0) }, joined_at: fields.joinedAt,
                  communication_disabled_until: fields.timedOutUntil)
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
            case "author": author = try scanner.readUserFields().map(CachePayload.User.init)
            case "member": member = try scanner.readMemberFields().map(CachePayload.Member.init)
            case "content": content = try scanner.readOptionalString()
            default: try scanner.skipValue()
            }
        }
        guard let id, let channelID else { return nil }
        self.init(id: Snowflake(id), channel_id: Snowflake(channelID), guild_id: guildID.map { Snowflake($0) }, author: author,
                  member: member, content: content)
    }
}
