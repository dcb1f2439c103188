import DiscordModels
import Foundation
import Testing

@testable import DiscordGateway

@Suite("Which guilds get their member list asked for (op 8)")
struct MemberListRequestTests {
    static func largeGuild(_ json: [UInt8]) -> Snowflake? {
        json.withUnsafeBytes { MemberListRequests.guildMissingMembers(in: $0, presences: true) }
    }

    @Test("with GUILD_PRESENCES a captured large GUILD_CREATE is asked for; a small or malformed one is not")
    func largeOrNot() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/fixtures/guild_create_large__serenity_d.json")
        let captured = try Array(Data(contentsOf: url))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(captured)) as? [String: Any])
        #expect(Self.largeGuild(captured)?.description == object["id"] as? String)
        #expect(Self.largeGuild(Array(#"{"id":"5","large":false,"members":[{"large":true}]}"#.utf8)) == nil)
        #expect(Self.largeGuild(Array(#"{"id":"5","large":true"#.utf8)) == nil)
    }

    @Test("without GUILD_PRESENCES every guild is asked for (Discord sent only voice members and the bot)")
    func withoutPresences() {
        let small = Array(#"{"id":"5","large":false,"member_count":3,"members":[]}"#.utf8)
        #expect(small.withUnsafeBytes { MemberListRequests.guildMissingMembers(in: $0, presences: false) } == Snowflake(5))
        let huge = Array(#"{"id":"6","large":true,"member_count":80000}"#.utf8)
        #expect(huge.withUnsafeBytes { MemberListRequests.guildMissingMembers(in: $0, presences: true) } == Snowflake(6))
    }

    @Test("the request is Discord's op 8 shape: the whole list, query empty, limit 0")
    func requestShape() throws {
        let frame = try JSONCoding.encode(GatewayOutboundFrame(opcode: .requestGuildMembers, data: GatewayRequestGuildMembers(guildID: 42)))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(frame)) as? [String: Any])
        #expect(object["op"] as? Int == 8)
        let data = try #require(object["d"] as? [String: Any])
        #expect(data["guild_id"] as? String == "42")
        #expect(data["query"] as? String == "")
        #expect(data["limit"] as? Int == 0)
    }
}
