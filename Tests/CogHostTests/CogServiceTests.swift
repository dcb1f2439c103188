@_spi(Benchmarks) @testable import CogHost
import CogWire
import Foundation
import Synchronization
import Testing

/// The host's services for cogs: ownership of messages, and clear refusals.
@Suite("Cog services: Discord actions, ownership and refusals")
struct CogServiceTests {
    static func request(_ object: [String: Any]) -> [UInt8] {
        Array(try! JSONSerialization.data(withJSONObject: object))
    }

    @Test("a cog may change only its own messages, and every refusal says why")
    func ownership() async throws {
        let test = try await TestHost.start(installing: [("polls", "polls"), ("gazette", "gazette"), ("dice", "dice")],
                                            links: .init(discord: AcceptingDiscord()))
        let providers = test.host.services
        // The bot is in guild 100, and the polls cog is working in its channel 200.
        test.host.hear(event: "READY", payload: ArraySlice(#"{"user":{"id":"999","username":"bot"},"guilds":[]}"#.utf8), shard: 0)
        test.host.hear(event: "GUILD_CREATE", payload: guildCreate(), shard: 0)
        providers.reach.touched(channel: 200, user: nil, cog: "polls")
        let sent = try await providers.perform(Self.request([
            "service": "discord.send_message", "channel_id": "200", "message": ["content": "hi"],
        ]), cog: "polls")
        let id = try #require((try JSONSerialization.jsonObject(with: Data(sent)) as? [String: Any])?["message_id"] as? String)
        let edit: [String: Any] = ["service": "discord.edit_message", "channel_id": "200", "message_id": id, "message": ["content": "x"]]

        for (cog, reason) in [("gazette", "was not sent by cog gazette"), ("dice", "did not declare the capability 'messages.send'")] {
            do {
                _ = try await providers.perform(Self.request(edit), cog: cog)
                Issue.record("cog \(cog) edited polls' message")
            } catch let error as ServiceError {
                #expect(error.kind == .denied && error.message.contains(reason), "\(error)")
            }
        }
        _ = try await providers.perform(Self.request(edit), cog: "polls")
        _ = try await providers.perform(Self.request(["service": "discord.delete_message", "channel_id": "200", "message_id": id]), cog: "polls")
        await #expect(throws: ServiceError.self, "deleted messages are no longer the cog's") {
            _ = try await providers.perform(Self.request(edit), cog: "polls")
        }
        for (bad, reason) in [
            (["service": "discord.nuke"], "unknown service 'discord.nuke'"),
            (["service": "discord.send_message", "channel_id": "x"], "discord.send_message.channel_id must be a snowflake"),
            (["service": "jobs.schedule", "job": "nope", "state": "1", "after_seconds": 5], "declares no job 'nope'"),
            (["service": "jobs.schedule", "job": "close", "state": "", "after_seconds": 5], "state string of 1–200 bytes"),
        ] as [([String: Any], String)] {
            do {
                _ = try await providers.perform(Self.request(bad), cog: "polls")
                Issue.record("accepted \(bad)")
            } catch let error as ServiceError {
                #expect(error.kind == .badRequest && error.message.contains(reason), "\(error)")
            }
        }
        await test.stop()
        try? FileManager.default.removeItem(at: test.directory)
    }

    @Test("every Discord action of a cog that did not declare its capability is refused, naming the capability, before any request")
    func eachCapabilityRefusal() async throws {
        let discord = AcceptingDiscord()
        let test = try await TestHost.start(installing: [("dice", "dice")], links: .init(discord: discord))
        test.host.hear(event: "READY", payload: ArraySlice(#"{"user":{"id":"999","username":"bot"},"guilds":[]}"#.utf8), shard: 0)
        test.host.hear(event: "GUILD_CREATE", payload: guildCreate(), shard: 0)
        let message = Array(#"{"content":"hi"}"#.utf8)
        let file = ServiceRequest.FileUpload(name: "a.txt", data: Array("a".utf8))
        let requests: [ServiceRequest] = [
            .sendMessage(channel: 200, message: message), .sendMessage(channel: 200, message: message, files: [file]),
            .sendDirectMessage(user: 7, message: message), .editMessage(channel: 200, message: 1, body: message),
            .deleteMessage(channel: 200, message: 1), .addReaction(channel: 200, message: 1, emoji: "👍"),
            .fetchMessage(channel: 200, message: 1), .fetchMessages(channel: 200, limit: 5, before: nil),
            .bulkDelete(channel: 200, messages: [1, 2], reason: nil), .pin(channel: 200, message: 1, pinned: true, reason: nil),
            .pin(channel: 200, message: 1, pinned: false, reason: nil),
            .memberRole(guild: 100, user: 7, role: 5, adding: true, reason: nil), .memberRole(guild: 100, user: 7, role: 5, adding: false, reason: nil),
            .setNickname(guild: 100, user: 7, nickname: "n", reason: nil), .timeout(guild: 100, user: 7, until: .after(seconds: 60), reason: nil),
            .kick(guild: 100, user: 7, reason: nil), .ban(guild: 100, user: 7, deleteMessageSeconds: 0, reason: nil),
            .unban(guild: 100, user: 7, reason: nil), .createRole(guild: 100, fields: .init(name: "r"), reason: nil),
            .editRole(guild: 100, role: 5, fields: .init(name: "r"), reason: nil), .deleteRole(guild: 100, role: 5, reason: nil),
            .createThread(channel: 200, message: nil, name: "t", autoArchiveMinutes: nil, isPrivate: false, reason: nil),
            .archiveThread(thread: 200, locked: false, reason: nil), .addThreadMember(thread: 200, user: 7),
            .followUp(interaction: 1, message: message), .editFollowUp(interaction: 1, message: nil, body: message),
            .deleteFollowUp(interaction: 1, message: 2),
        ]
        #expect(Set(requests.map(\.service)).count == 26, "every discord.* service once")
        for request in requests {
            let capability = try #require(DiscordActionPlanner.capability(for: request))
            do {
                _ = try await test.host.services.perform(request.encoded(), cog: "dice")
                Issue.record("\(request.service) went through without \(capability.rawValue)")
            } catch let error as ServiceError {
                #expect(error.kind == .denied && error.message.contains("'\(capability.rawValue)'"), "\(request.service): \(error)")
            }
        }
        #expect(discord.routes.isEmpty, "a refused action reached Discord: \(discord.routes)")
        await test.stop()
        try? FileManager.default.removeItem(at: test.directory)
    }

    @Test("a host linked to no Discord refuses Discord actions with a message saying so")
    func notConnected() async throws {
        let test = try await TestHost.start(installing: [("polls", "polls")])
        do {
            _ = try await test.host.services.perform(Self.request([
                "service": "discord.send_message", "channel_id": "200", "message": ["content": "hi"],
            ]), cog: "polls")
            Issue.record("sent without a connection")
        } catch let error as ServiceError {
            #expect(error.message.contains("not connected to Discord"))
        }
        await test.stop()
        try? FileManager.default.removeItem(at: test.directory)
    }
}
