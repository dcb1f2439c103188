import CogKitTesting
import Foundation
import Testing

/// The `gazette` cog: the daily digest job, through the cog test host's virtual clock.
@Suite("gazette through the cog test host")
struct GazetteCogTests {
    static let newsChannel = CogTestHost.secondChannel

    @Test func theDigestOfYesterdaysActivityIsPostedAt9UTCOnceADay() async throws {
        // Monday 08:00 UTC.
        let bot = try await CogTestHost.start(cog: "gazette")
        let set = try await bot.run("/gazette channel channel:\(Self.newsChannel)", as: .admin)
        #expect(set.text.contains("<#\(Self.newsChannel)>"), "\(set.text)")
        try await bot.run("/gazette preview", as: .player)
        try await bot.run("/gazette preview", as: .otherPlayer)
        let preview = try await bot.run("/gazette preview")
        #expect(preview.text.contains("**3** commands by **3** members"), "the preview counts today so far: \(preview.text)")

        await bot.advanceClock(by: .seconds(3600))              // Monday 09:00: Sunday was quiet
        #expect(bot.postedMessages.count == 1)
        #expect(bot.postedMessages.first?.message.text.contains("A quiet day") == true)
        await bot.advanceClock(by: .seconds(24 * 3600))         // Tuesday 09:00: Monday's activity
        let tuesday = try #require(bot.postedMessages.last)
        #expect(tuesday.channelID == Self.newsChannel)
        #expect(tuesday.message.text.contains("2026-01-05") && tuesday.message.text.contains("`/gazette preview` — 3"),
                "\(tuesday.message.text)")
        #expect(bot.postedMessages.count == 2)
        await bot.stop()
    }

    @Test func daysMissedWhileDownBecomeOneDigestAndSettingsNeedAManager() async throws {
        let bot = try await CogTestHost.start(cog: "gazette")
        let refused = try await bot.run("/gazette channel channel:\(Self.newsChannel)", as: .player)
        #expect(refused.isEphemeral && refused.text.contains("Manage Server"), "\(refused.text)")
        try await bot.run("/gazette channel channel:\(Self.newsChannel)", as: .admin)
        await bot.advanceClock(by: .seconds(5 * 24 * 3600))     // five 09:00 runs missed at once
        #expect(bot.postedMessages.count == 1, "coalesced into one run")
        let job = try #require(try bot.jobs().first)
        #expect(job.job == "daily-digest" && job.schedule == "0 9 * * * (UTC)", "\(job)")
        #expect(job.lastOutcome?.hasPrefix("ok") == true, "\(job)")
        #expect(job.nextRun == bot.now.addingTimeInterval(3600), "next run at the following 09:00")

        try await bot.run("/gazette off", as: .admin)
        await bot.advanceClock(by: .seconds(24 * 3600))
        #expect(bot.postedMessages.count == 1, "no digest once it is off")
        await bot.stop()
    }
}
