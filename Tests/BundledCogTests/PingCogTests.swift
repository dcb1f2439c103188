import CogKitTesting
import Testing

/// The C cog, through the same cog test host as the Swift ones.
@Suite("ping (C) through the cog test host")
struct PingCogTests {
    @Test func answersAndCountsAcrossAReload() async throws {
        let bot = try await CogTestHost.start(cog: "ping")
        let first = try await bot.run("/ping")
        #expect(first.text.contains("Pong"), "\(first.text)")
        try await bot.reload(library: bot.directory.appendingPathComponent("cogs/libping.so"))
        let second = try await bot.run("/ping")
        #expect(second.text.contains("Pong"), "\(second.text)")
        await bot.stop()
    }

    @Test("a 🏓 reaction on a member's message gets the bot's own 🏓; another emoji gets nothing")
    func answersAPingPongReaction() async throws {
        let bot = try await CogTestHost.start(cog: "ping")
        let said = await bot.say("anyone for table tennis?", as: .player)
        await bot.react("👍", to: said, as: .otherPlayer)
        #expect(bot.restCalls.isEmpty, "\(bot.restCalls)")
        await bot.react("🏓", to: said, as: .otherPlayer)
        let calls = bot.restCalls
        #expect(calls.count == 1)
        #expect(calls.first?.action == "react" && calls.first?.messageID == said && calls.first?.emoji == "🏓", "\(calls)")
        await bot.stop()
    }

    @Test func aCommandTheCogDoesNotDeclareIsATestError() async throws {
        let bot = try await CogTestHost.start(cog: "ping")
        await #expect(throws: CogTestError.self) { try await bot.run("/pong") }
        await bot.stop()
    }
}
