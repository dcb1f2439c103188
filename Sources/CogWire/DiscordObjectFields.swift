/// The fields of Discord's user and member objects that both sides read from events: CogKit for a
/// listener's typed payload, the host's cache for what it keeps. One scanner for both, so they
/// cannot disagree on what a payload says.
public struct UserFields: Sendable, Equatable {
    public var id: UInt64
    public var username: String?
    public var globalName: String?
}

/// A member object's fields (GUILD_MEMBER_ADD's `d`, a message's `member`, a chunk's entries).
public struct MemberFields: Sendable, Equatable {
    /// Present in member events, absent in a message's `member` and a chunk's entries.
    public var guildID: UInt64?
    /// Absent in a message's `member` (the message's `author` is the user).
    public var user: UserFields?
    public var nick: String?
    public var roles: [UInt64] = []
    public var joinedAt: String?
    public var timedOutUntil: String?
}

extension JSONScanner {
    /// Reads a user object; `nil` for `null` or a user without an id.
    ///
    /// ```swift
    /// case "author": author = try scanner.readUserFields()
    /// ```
    public mutating func readUserFields() throws -> UserFields? {
        if try skipNull() { return nil }
        var id: UInt64?
        var fields = UserFields(id: 0)
        try readObject { scanner, key in
            switch key {
            case "id": id = try scanner.readSnowflake()
            case "username": fields.username = try scanner.readOptionalString()
            case "global_name": fields.globalName = try scanner.readOptionalString()
            default: try scanner.skipValue()
            }
        }
        guard let id else { return nil }
        fields.id = id
        return fields
    }

    /// Reads a member object; `nil` for `null`.
    public mutating func readMemberFields() throws -> MemberFields? {
        if try skipNull() { return nil }
        var fields = MemberFields()
        try readObject { scanner, key in
            switch key {
            case "guild_id": fields.guildID = try scanner.readSnowflake()
            case "user": fields.user = try scanner.readUserFields()
            case "nick": fields.nick = try scanner.readOptionalString()
            case "roles": fields.roles = try scanner.readSnowflakes()
            case "joined_at": fields.joinedAt = try scanner.readOptionalString()
            case "communication_disabled_until": fields.timedOutUntil = try scanner.readOptionalString()
            default: try scanner.skipValue()
            }
        }
        return fields
    }
}
