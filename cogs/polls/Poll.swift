import CogKit
import Foundation

/// One poll as stored, with its tally, and how it is shown.
struct Poll {
    let id: Int64
    let guildID: Snowflake
    let authorID: Snowflake
    let question: String
    let options: [String]
    let closesAt: Int64
    let closed: Bool
    let message: SentMessage?
    /// Votes per option, in option order.
    var tally: [Int]

    static let optionLimit = 5

    /// Splits "Pizza, Sushi | Tacos" or one option per line into 2–5 options.
    static func parseOptions(_ text: String) throws -> [String] {
        let separators = CharacterSet(charactersIn: ",|\n")
        let options = text.components(separatedBy: separators)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard (2...optionLimit).contains(options.count) else {
            throw CommandError("A poll needs 2 to \(optionLimit) options, separated by commas (got \(options.count)).")
        }
        guard options.allSatisfy({ $0.count <= 80 }) else { throw CommandError("Each option can be at most 80 characters.") }
        guard Set(options).count == options.count else { throw CommandError("Two options are the same.") }
        return options
    }

    static func load(_ id: Int64, _ storage: CogStorage) throws -> Poll? {
        guard let row = try storage.query("SELECT * FROM polls__polls WHERE id = ?", [.integer(id)]).first else { return nil }
        let options = (row["options"].text ?? "").components(separatedBy: "\n")
        var tally = Array(repeating: 0, count: options.count)
        for vote in try storage.query("SELECT choice, count(*) AS n FROM polls__votes WHERE poll_id = ? GROUP BY choice",
                                      [.integer(id)]) {
            if let choice = vote["choice"].integer.map(Int.init), tally.indices.contains(choice) {
                tally[choice] = Int(vote["n"].integer ?? 0)
            }
        }
        let message = row["message_id"].snowflake.flatMap { id in
            row["channel_id"].snowflake.map { SentMessage(channelID: $0, id: id) }
        }
        return Poll(id: id, guildID: row["guild_id"].snowflake ?? Snowflake(0), authorID: row["author_id"].snowflake ?? Snowflake(0),
                    question: row["question"].text ?? "", options: options, closesAt: row["closes_at"].integer ?? 0,
                    closed: row["closed"].integer == 1, message: message, tally: tally)
    }

    var totalVotes: Int { tally.reduce(0, +) }

    /// The poll's message: the question, a bar per option, and a button per option while open.
    var embed: Embed {
        var lines: [String] = []
        let winner = tally.max() ?? 0
        for (index, option) in options.enumerated() {
            let votes = tally[index]
            let share = totalVotes == 0 ? 0 : Double(votes) / Double(totalVotes)
            let bar = String(repeating: "█", count: Int((share * 10).rounded())) + String(repeating: "░", count: 10 - Int((share * 10).rounded()))
            let mark = closed && votes == winner && winner > 0 ? " 🏆" : ""
            lines.append("**\(option)**\(mark)\n\(bar) \(votes) vote\(votes == 1 ? "" : "s") (\(Int((share * 100).rounded()))%)")
        }
        var embed = Embed(title: "📊 \(question)", description: lines.joined(separator: "\n"), colour: closed ? 0x99AAB5 : 0x5865F2)
        embed.footer = closed
            ? "Poll #\(id) · closed · \(totalVotes) vote\(totalVotes == 1 ? "" : "s")"
            : "Poll #\(id) · one vote per member, click again to change it"
        if !closed { embed.fields = [Embed.Field(name: "Closes", value: "<t:\(closesAt):R>")] }
        return embed
    }

    var buttons: [ActionRow] {
        guard !closed else { return [] }
        return [ActionRow(options.enumerated().map { index, option in
            Button(String(option.prefix(80)), action: "vote", state: "\(id):\(index)", style: .secondary)
        })]
    }
}
