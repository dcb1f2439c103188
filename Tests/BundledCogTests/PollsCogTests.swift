import CogKitTesting
import Foundation
import Testing

/// The `polls` cog as a server uses it, through the cog test host: buttons, votes, the form,
/// and the job that closes a poll on time.
@Suite("polls through the cog test host")
struct PollsCogTests {
    @Test func aPollIsPostedWithAButtonPerOptionAndCountsOneVotePerMember() async throws {
        let bot = try await CogTestHost.start(cog: "polls")
        let created = try await bot.run("/poll create question:Lunch? options:Pizza,Sushi,Tacos minutes:30")
        #expect(created.isEphemeral && created.text.contains("Poll #1 posted"), "\(created.text)")
        let poll = try #require(bot.postedMessages.first)
        #expect(poll.channelID == CogTestHost.defaultChannel)
        #expect(poll.message.controls.map(\.label) == ["Pizza", "Sushi", "Tacos"])
        #expect(poll.message.controls.allSatisfy { $0.custom_id?.hasPrefix("polls:vote:1:") == true })

        let first = try await bot.click("Pizza", in: poll, as: .player)
        #expect(first.updatedMessage, "a vote updates the poll message in place")
        #expect(first.text.contains("1 vote (100%)"), "\(first.text)")
        try await bot.click("Sushi", in: poll, as: .player)      // changes bob's vote
        let third = try await bot.click("Sushi", in: poll, as: .otherPlayer)
        #expect(third.text.contains("Pizza**\n░░░░░░░░░░ 0 votes"), "\(third.text)")
        #expect(third.text.contains("2 votes (100%)"), "\(third.text)")
        let votes = try bot.query("SELECT user_id, choice FROM polls__votes ORDER BY user_id")
        #expect(votes.count == 2 && votes.allSatisfy { $0["choice"].integer == 1 })
        await bot.stop()
    }

    @Test func theCloseJobEndsThePollOnTimeAndRemovesTheButtons() async throws {
        let bot = try await CogTestHost.start(cog: "polls")
        try await bot.run("/poll create question:Movie-night? options:Yes,No minutes:60")
        let poll = try #require(bot.postedMessages.first)
        try await bot.click("Yes", in: poll)
        let jobs = try bot.jobs()
        #expect(jobs.map(\.job) == ["close"] && jobs[0].state == "1")
        #expect(jobs[0].nextRun == bot.now.addingTimeInterval(3600))

        await bot.advanceClock(by: .seconds(59 * 60))
        #expect(bot.postedMessages[0].edits == 0, "not closed a minute early")
        await bot.advanceClock(by: .seconds(60))
        let closed = bot.postedMessages[0]
        #expect(closed.edits == 1 && closed.message.controls.isEmpty, "closed, without buttons")
        #expect(closed.message.text.contains("**Yes** 🏆") && !closed.message.text.contains("Closes"), "\(closed.message.text)")
        #expect(bot.restCalls.map(\.action) == ["send", "edit"])
        #expect(try bot.jobs().isEmpty)

        let late = try await bot.click(customID: "polls:vote:1:1", messageID: closed.id)
        #expect(late.isEphemeral && late.text.contains("closed"), "\(late.text)")
        await bot.stop()
    }

    @Test func theFormCreatesAPollAndBadInputIsExplained() async throws {
        let bot = try await CogTestHost.start(cog: "polls")
        let form = try await bot.run("/poll new")
        let modal = try #require(form.modal)
        #expect(modal.title == "New poll" && modal.custom_id == "polls:create:")
        let created = try await bot.submit(form, values: ["question": "Best editor?", "options": "vim\nemacs\nnano", "minutes": "5"])
        #expect(created.text.contains("Poll #1 posted"), "\(created.text)")
        #expect(bot.postedMessages.first?.message.controls.count == 3)

        let tooFew = try await bot.submit(form, values: ["question": "?", "options": "only one"])
        #expect(tooFew.isEphemeral && tooFew.text.contains("2 to 5 options"), "\(tooFew.text)")
        let results = try await bot.run("/poll results id:1")
        #expect(results.isEphemeral && results.text.contains("Best editor?"), "\(results.text)")
        let missing = try await bot.run("/poll results id:9")
        #expect(missing.text.contains("no poll #9"), "\(missing.text)")
        await bot.stop()
    }

    @Test func onlyTheAuthorOrAManagerClosesAPollEarly() async throws {
        let bot = try await CogTestHost.start(cog: "polls")
        try await bot.run("/poll create question:Q? options:A,B")
        let refused = try await bot.run("/poll close id:1", as: .otherPlayer)
        #expect(refused.text.contains("Only the poll's author"), "\(refused.text)")
        let closed = try await bot.run("/poll close id:1", as: .player)
        #expect(closed.text.contains("closed"), "\(closed.text)")
        #expect(try bot.jobs().isEmpty, "closing early cancels the scheduled close")
        #expect(bot.postedMessages[0].message.controls.isEmpty)
        await bot.stop()
    }
}
