import Foundation
internal import CogWire

/// Event payloads read with CogWire's scanner instead of `JSONDecoder`: the ones that come with
/// every message and member event, where decoding was most of what a listener cost. A missing
/// field is optional, as in the `Decodable` forms, and an unknown field is skipped.
protocol ScannedPayload {
    init(scanning scanner: inout JSONScanner) throws
}

/// A field an event type needs was not in the payload.
struct MissingEventField: Error, CustomStringConvertible {
    let name: String
    var description: String { "the payload has no \(name)" }
}

extension ScannedPayload {
    /// Scans `raw`, one JSON object and nothing after it.
    init(scanning raw: [UInt8]) throws {
        self = try JSONScanner.scan(raw) { scanner in try Self(scanning: &scanner) }
    }
}

extension User {
    /// The user the scanned fields name; Discord sends a username with every user, so a
    /// missing one fails as it does in the `Decodable` form.
    init(_ fields: UserFields?) throws {
        guard let fields else { throw MissingEventField(name: "user id") }
        guard let username = fields.username else { throw MissingEventField(name: "username") }
        self.init(id: Snowflake(fields.id), username: username, globalName: fields.globalName)
    }
}

extension User: ScannedPayload {
    init(scanning scanner: inout JSONScanner) throws {
        try self.init(scanner.readUserFields())
    }
}

extension Member.Partial {
    init(_ fields: MemberFields) {
        (nick, roles, joinedAt) = (fields.nick, fields.roles.map(Snowflake.init), fields.joinedAt)
    }
}

extension Member: ScannedPayload {
    init(scanning scanner: inout JSONScanner) throws {
        guard let fields = try scanner.readMemberFields(), let guildID = fields.guildID else {
            throw MissingEventField(name: "guild_id")
        }
        guard fields.user != nil else { throw MissingEventField(name: "user") }
        self.init(guildID: Snowflake(guildID), user: try User(fields.user), nick: fields.nick,
                  roles: fields.roles.map(Snowflake.init), joinedAt: fields.joinedAt)
    }
}

extension Message: ScannedPayload {
    init(scanning scanner: inout JSONScanner) throws {
        var id: UInt64?
        var channelID: UInt64?
        var guildID: UInt64?
        var author: User?
        var content = ""
        var member: Member.Partial?
        var mentions: [User] = []
        var editedTimestamp: String?
        var webhookID: UInt64?
        var type = 0
        try scanner.readObject { scanner, key in
            switch key {
            case "id": id = try scanner.readSnowflake()
            case "channel_id": channelID = try scanner.readSnowflake()
            case "guild_id": guildID = try scanner.readSnowflake()
            case "author": author = try scanner.readUserFields().map { try User($0) }
            case "content": content = try scanner.readOptionalString() ?? ""
            case "member": member = try scanner.readMemberFields().map(Member.Partial.init)
            case "mentions":
                if try scanner.skipNull() { break }
                try scanner.readArray { scanner, _ in mentions.append(try User(scanning: &scanner)) }
            case "edited_timestamp": editedTimestamp = try scanner.readOptionalString()
            case "webhook_id": webhookID = try scanner.readSnowflake()
            case "type": type = Int(try scanner.readInteger() ?? 0)
            default: try scanner.skipValue()
            }
        }
        guard let id else { throw MissingEventField(name: "id") }
        guard let channelID else { throw MissingEventField(name: "channel_id") }
        self.id = Snowflake(id)
        self.channelID = Snowflake(channelID)
        self.guildID = guildID.map(Snowflake.init)
        self.author = author
        self.content = content
        self.member = member
        self.mentions = mentions
        self.editedTimestamp = editedTimestamp
        self.webhookID = webhookID.map(Snowflake.init)
        self.type = type
    }
}
