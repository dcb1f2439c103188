@testable import CogKit
import Foundation
import Testing

/// Messages and members are scanned instead of decoded with JSONDecoder; both must read the
/// same fields from Discord's captured payloads.
@Suite("Scanned event payloads read what JSONDecoder reads")
struct ScannedPayloadTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/fixtures/\(name)")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
        return Array(try JSONSerialization.data(withJSONObject: (object["d"] as? [String: Any]) ?? object))
    }

    @Test("captured MESSAGE_CREATEs", arguments: ["message_create__discordbm.json", "message_create__serenity_d.json",
                                                   "message_create_reply_type19__d4j.json"])
    func messages(_ name: String) throws {
        let raw = try Self.fixture(name)
        let decoded = try JSONDecoder().decode(Message.self, from: Data(raw))
        let scanned = try EventPayload(name: "MESSAGE_CREATE", raw: raw).decode(Message.self)
        #expect(scanned.id == decoded.id && scanned.channelID == decoded.channelID && scanned.guildID == decoded.guildID)
        #expect(scanned.author == decoded.author)
        #expect(scanned.content == decoded.content)
        #expect(scanned.member?.roles == decoded.member?.roles && scanned.member?.nick == decoded.member?.nick)
        #expect(scanned.member?.joinedAt == decoded.member?.joinedAt)
        #expect(scanned.mentions == decoded.mentions)
        #expect(scanned.editedTimestamp == decoded.editedTimestamp && scanned.webhookID == decoded.webhookID)
        #expect(scanned.type == decoded.type)
    }

    @Test("a member with nulls, escapes and unknown fields; a payload without ids is an error naming the event")
    func membersAndErrors() throws {
        let raw = Array(#"{"guild_id":"5","user":{"id":"7","username":"b\u00f6b","global_name":null,"avatar":null},"nick":null,"roles":["9",10],"joined_at":"2026-01-01T00:00:00+00:00","new_field":{"x":[1,2]}}"#.utf8)
        let member = try EventPayload(name: "GUILD_MEMBER_ADD", raw: raw).decode(Member.self)
        #expect(member.guildID == Snowflake(5) && member.user.id == Snowflake(7) && member.user.username == "böb")
        #expect(member.nick == nil && member.roles == [Snowflake(9), Snowflake(10)])
        #expect(throws: EventDecodingError.self) {
            try EventPayload(name: "MESSAGE_CREATE", raw: Array(#"{"content":"no ids"}"#.utf8)).decode(Message.self)
        }
        #expect(throws: EventDecodingError.self) {
            try EventPayload(name: "MESSAGE_CREATE", raw: Array(#"{"id":"1","channel_id":"2""#.utf8)).decode(Message.self)
        }
    }
}
