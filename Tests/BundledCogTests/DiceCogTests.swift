import CogKitTesting
import Testing

/// The `dice` cog as players use it, through the cog test host.
@Suite("dice through the cog test host")
struct DiceCogTests {
    @Test func rollsAnExpressionAndExplainsABadOne() async throws {
        let bot = try await CogTestHost.start(cog: "dice")
        let roll = try await bot.run("/roll dice:2d6+3")
        #expect(roll.text.contains("Bob rolled"), "\(roll.text)")
        #expect(!roll.isEphemeral)
        let secret = try await bot.run("/roll dice:d20 private:true")
        #expect(secret.isEphemeral)
        let bad = try await bot.run("/roll dice:banana")
        #expect(bad.isEphemeral)
        #expect(bad.text.contains("I can't roll `banana`"), "\(bad.text)")
        await bot.stop()
    }

    @Test func theCooldownStopsTheSixthRollInTenSeconds() async throws {
        let bot = try await CogTestHost.start(cog: "dice")
        for _ in 0..<5 { try await bot.run("/roll dice:d6") }
        let sixth = try await bot.run("/roll dice:d6")
        #expect(sixth.isEphemeral && sixth.text.lowercased().contains("again"), "\(sixth.text)")
        let someoneElse = try await bot.run("/roll dice:d6", as: .otherPlayer)
        #expect(someoneElse.text.contains("Carol rolled"), "the cooldown is per user")
        await bot.stop()
    }

    @Test func suggestsCommonRollsAsThePlayerTypes() async throws {
        let bot = try await CogTestHost.start(cog: "dice")
        #expect(try await bot.suggestions("/roll dice:2d", typing: "dice") == ["2d6", "2d20kh1", "2d20kl1"])
        #expect(try await bot.suggestions("/roll dice:3d6+2", typing: "dice") == ["3d6+2"])
        #expect(try await bot.suggestions("/roll dice:zz", typing: "dice").isEmpty)
        // Suggestions are not rolls: the cooldown is untouched.
        for _ in 0..<5 { #expect(try await bot.run("/roll dice:d6").text.contains("rolled")) }
        await bot.stop()
    }

    @Test func aCoinLandsOnOneSide() async throws {
        let bot = try await CogTestHost.start(cog: "dice")
        let flip = try await bot.run("/coin")
        #expect(flip.content == "🪙 Heads" || flip.content == "🪙 Tails")
        await bot.stop()
    }
}
