import DiscordCache
import Foundation
import Testing

@Suite("The cache: kept from the gateway's events")
struct GuildCacheTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/fixtures/\(name)")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
        // Some captures are whole frames; the cache reads the `d`.
        let payload = (object["d"] as? [String: Any]) ?? object
        return Array(try JSONSerialization.data(withJSONObject: payload))
    }

    @Test("a captured GUILD_CREATE (old number and string forms included) fills guild, channels, roles and members")
    func capturedGuild() throws {
        let cache = GuildCache()
        let payload = try Self.fixture("guild_create_large__serenity_d.json")
        cache.apply(event: "GUILD_CREATE", payload: payload)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any])
        let id = try #require(UInt64(object["id"] as? String ?? ""))
        let guild = try #require(cache.guild(id))
        #expect(guild.name == object["name"] as? String)
        #expect(guild.channels.count == (object["channels"] as? [Any])?.count)
        #expect(guild.roles.count == (object["roles"] as? [Any])?.count)
        #expect(cache.size().members == (object["members"] as? [Any])?.count)
        // Overwrites written as {"type": "role", "allow": 3072} read like today's.
        let channel = try #require((object["channels"] as? [[String: Any]])?.first)
        let cachedChannel = try #require(cache.channel(UInt64(channel["id"] as? String ?? "") ?? 0))
        #expect(cachedChannel.overwrites.first?.kind == .role)
        #expect(cachedChannel.overwrites.first?.allow == 3072)
    }

    @Test("messages in more channels than the cap keeps: the channels written to least recently go first")
    func messageChannelsAreCapped() {
        let cache = GuildCache(limits: .init(members: 10, messagesPerChannel: 2, messageChannels: 10))
        for channel in 1...25 {
            cache.apply(event: "MESSAGE_CREATE", payload: Array(#"{"id":"\#(1000 + channel)","channel_id":"\#(channel)","content":"dm \#(channel)","author":{"id":"7","username":"eve"}}"#.utf8))
        }
        #expect(cache.size().messages <= 10, "\(cache.size())")
        #expect(cache.message(1025, in: 25)?.content == "dm 25", "the newest channel is kept")
        #expect(cache.message(1001, in: 1) == nil, "the oldest channel went first")
    }

    @Test("GUILD_MEMBERS_CHUNK adds the rest of a large guild's members")
    func memberChunks() throws {
        let cache = GuildCache()
        cache.apply(event: "GUILD_CREATE", payload: Array(Self.guildCreate.utf8))
        let chunk = #"{"guild_id":"1","chunk_index":0,"chunk_count":1,"members":[{"user":{"id":"4","username":"ann"},"roles":["5"]},{"user":{"id":"6","username":"joe"},"roles":[],"nick":"Joe"}]}"#
        cache.apply(event: "GUILD_MEMBERS_CHUNK", payload: Array(chunk.utf8))
        #expect(cache.size().members == 4)
        #expect(cache.member(6, in: 1)?.nick == "Joe")
        #expect(cache.members(withRole: 5, in: 1).map(\.userID).sorted() == [2, 4])
    }

    static let guildCreate = #"{"id":"1","name":"Home","owner_id":"9","member_count":2,"roles":[{"id":"1","name":"@everyone","permissions":"3072","position":0},{"id":"5","name":"Mods","permissions":"8192","position":1}],"channels":[{"id":"10","type":0,"name":"general","position":0,"permission_overwrites":[{"id":"1","type":0,"allow":"0","deny":"2048"},{"id":"5","type":0,"allow":"2048","deny":"0"}]}],"emojis":[{"id":"70","name":"cog"}],"members":[{"user":{"id":"2","username":"bob"},"roles":["5"],"joined_at":"2026-01-01T00:00:00+00:00"},{"user":{"id":"3","username":"eve"},"roles":[]}],"voice_states":[]}"#

    @Test("events keep it current: members, roles, channels, voice, and the permissions follow")
    func eventsKeepItCurrent() throws {
        let cache = GuildCache(limits: .init(members: 100, messagesPerChannel: 5))
        cache.apply(event: "GUILD_CREATE", payload: Array(Self.guildCreate.utf8))
        #expect(cache.permissions(of: 2, in: 1, channel: 10).map { $0 & PermissionComputation.sendMessages != 0 } == true)
        #expect(cache.permissions(of: 3, in: 1, channel: 10).map { $0 & PermissionComputation.sendMessages == 0 } == true)
        #expect(cache.members(withRole: 5, in: 1).map(\.userID) == [2])

        cache.apply(event: "GUILD_MEMBER_UPDATE", payload: Array(#"{"guild_id":"1","user":{"id":"3","username":"eve"},"roles":["5"]}"#.utf8))
        #expect(cache.members(withRole: 5, in: 1).map(\.userID) == [2, 3])
        cache.apply(event: "GUILD_ROLE_DELETE", payload: Array(#"{"guild_id":"1","role_id":"5"}"#.utf8))
        #expect(cache.members(withRole: 5, in: 1).isEmpty && cache.guild(1)?.roles[5] == nil)
        cache.apply(event: "GUILD_MEMBER_ADD", payload: Array(#"{"guild_id":"1","user":{"id":"4","username":"ann"},"roles":[]}"#.utf8))
        #expect(cache.member(4, in: 1)?.username == "ann" && cache.guild(1)?.memberCount == 3)
        cache.apply(event: "GUILD_MEMBER_REMOVE", payload: Array(#"{"guild_id":"1","user":{"id":"4","username":"ann"}}"#.utf8))
        #expect(cache.member(4, in: 1) == nil && cache.guild(1)?.memberCount == 2)
        cache.apply(event: "CHANNEL_CREATE", payload: Array(#"{"id":"11","guild_id":"1","type":2,"name":"voice"}"#.utf8))
        cache.apply(event: "VOICE_STATE_UPDATE", payload: Array(#"{"guild_id":"1","channel_id":"11","user_id":"2"}"#.utf8))
        #expect(cache.guild(1)?.voiceChannels[2] == 11)
        cache.apply(event: "CHANNEL_DELETE", payload: Array(#"{"id":"11","guild_id":"1","type":2}"#.utf8))
        #expect(cache.channel(11) == nil)

        cache.apply(event: "MESSAGE_CREATE", payload: Array(#"{"id":"100","channel_id":"10","guild_id":"1","author":{"id":"2","username":"bob"},"member":{"roles":[]},"content":"secret plan"}"#.utf8))
        cache.apply(event: "MESSAGE_DELETE", payload: Array(#"{"id":"100","channel_id":"10","guild_id":"1"}"#.utf8))
        #expect(cache.message(100, in: 10) == CachedMessage(id: 100, channelID: 10, guildID: 1, authorID: 2, content: "secret plan", deleted: true))

        cache.apply(event: "GUILD_DELETE", payload: Array(#"{"id":"1","unavailable":true}"#.utf8))
        #expect(cache.guild(1) != nil, "an outage keeps the guild")
        cache.apply(event: "GUILD_DELETE", payload: Array(#"{"id":"1"}"#.utf8))
        #expect(cache.guild(1) == nil && cache.channel(10) == nil && cache.member(2, in: 1) == nil)
    }

    @Test("members past the limit: the least recently seen go, the bot's own stays; messages off cost nothing")
    func memberLimit() throws {
        let cache = GuildCache(limits: .init(members: 10, messagesPerChannel: 0))
        cache.apply(event: "READY", payload: Array(#"{"user":{"id":"1000","username":"bot"}}"#.utf8))
        cache.apply(event: "GUILD_MEMBER_ADD", payload: Array(#"{"guild_id":"1","user":{"id":"1000","username":"bot"},"roles":[]}"#.utf8))
        for user in 1...30 {
            cache.apply(event: "GUILD_MEMBER_ADD", payload: Array(#"{"guild_id":"1","user":{"id":"\#(user)","username":"u"},"roles":[]}"#.utf8))
        }
        #expect(cache.size().members <= 10)
        #expect(cache.member(1000, in: 1) != nil)
        #expect(cache.member(30, in: 1) != nil && cache.member(1, in: 1) == nil)
        cache.apply(event: "MESSAGE_CREATE", payload: Array(#"{"id":"5","channel_id":"10","guild_id":"1","content":"x"}"#.utf8))
        #expect(cache.size().messages == 0)
    }
}
