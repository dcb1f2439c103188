@testable import CogHost
import Foundation
import Synchronization
import Testing

/// The host's services for cogs: ownership of messages, and clear refusals.
@Suite("Cog services: Discord actions, ownership and refusals")
struct CogServiceTests {
    /// Discord as far as these tests need it: accepts everything, numbers messages.
    final class AcceptingDiscord: CogDiscordActions {
        let sent = Mutex<[UInt64: UInt64]>([:])
        func createMessage(channel: UInt64, message: [UInt8]) async throws -> UInt64 {
            sent.withLock { sent in
                let id = UInt64(5_000 + sent.count)
                sent[id] = channel
                return id
            }
        }
        func editMessage(channel: UInt64, message: UInt64, with body: [UInt8]) async throws {}
        func deleteMessage(channel: UInt64, message: UInt64) async throws {}
        func addReaction(channel: UInt64, message: UInt64, emoji: String) async throws {}
    }

    static func request(_ object: [String: Any]) -> [UInt8] {
        Array(try! JSONSerialization.data(withJSONObject: object))
    }

    @Test("a cog may change only its own messages, and every refusal says why")
    func ownership() async throws {
        let test = try await TestHost.start(installing: [("polls", "polls")], links: .init(discord: AcceptingDiscord()))
        let providers = test.host.services
        let sent = try await providers.perform(Self.request([
            "service": "discord.send_message", "channel_id": "200", "message": ["content": "hi"],
        ]), cog: "polls")
        let id = try #require((try JSONSerialization.jsonObject(with: Data(sent)) as? [String: Any])?["message_id"] as? String)
        let edit: [String: Any] = ["service": "discord.edit_message", "channel_id": "200", "message_id": id, "message": ["content": "x"]]

        await #expect(throws: ServiceError.self) { _ = try await providers.perform(Self.request(edit), cog: "dice") }
        do {
            _ = try await providers.perform(Self.request(edit), cog: "dice")
        } catch let error as ServiceError {
            #expect(error.kind == .denied && error.message.contains("was not sent by cog dice"), "\(error)")
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
