import CogKit
import Foundation

/// `/poll create`, `/poll new` (a form), `/poll results` and `/poll close`: polls with a button
/// per option, one vote per member (clicking again changes it), results kept in the cog's
/// tables, closed on time by a scheduled job — also after a restart.
struct PollsCog: Cog {
    static let name = "polls"
    static let capabilities: [Capability] = [.messagesSend]
    static let version = "1.0.0"
    static var migrations: [SchemaMigration] { [PollsSchema.polls] }

    static var commands: [Command<PollsCog>] {
        [
            Command("poll", "Ask the server a question", subcommands: [
                Command("create", "Post a poll with a button per option",
                        options: [
                            .string("question", "What to ask", required: true, maxLength: 200),
                            .string("options", "2–5 options, separated by commas", required: true, maxLength: 500),
                            .integer("minutes", "How long it stays open (default 60)", min: 1, max: 10_080),
                        ],
                        cooldown: Cooldown(rate: 3, per: 60, scope: .member)) { _, context in
                    try await create(question: try context.option("question"), options: try context.option("options"),
                                     minutes: context.option("minutes", default: 60), context)
                },
                Command("new", "Write a poll in a form") { _, _ in
                    .modal(Modal("New poll", action: "create", fields: [
                        .init(id: "question", label: "Question", maxLength: 200),
                        .init(id: "options", label: "Options, one per line (2–5)", style: .paragraph, maxLength: 500),
                        .init(id: "minutes", label: "Minutes open", required: false, maxLength: 5, placeholder: "60"),
                    ]))
                },
                Command("results", "Show a poll's votes so far",
                        options: [.integer("id", "The poll's number", required: true, min: 1)]) { _, context in
                    let poll = try requirePoll(try context.option("id"), context)
                    return .embed(poll.embed, ephemeral: true)
                },
                Command("close", "Close a poll now (its author or a server manager)",
                        options: [.integer("id", "The poll's number", required: true, min: 1)]) { _, context in
                    let poll = try requirePoll(try context.option("id"), context)
                    guard poll.authorID == context.user.id || context.memberPermissions?.contains(.manageGuild) == true else {
                        throw CommandError("Only the poll's author or a server manager can close it.")
                    }
                    try await context.jobs.cancel("close", state: String(poll.id))
                    let closed = try await close(poll.id, context.storage, context.discord)
                    return .message(closed ? "🔒 Poll #\(poll.id) closed." : "Poll #\(poll.id) was already closed.", ephemeral: true)
                },
            ]),
        ]
    }

    static var actions: [Action<PollsCog>] {
        [
            Action("vote") { _, context in try vote(context) },
            Action("create") { _, context in
                let minutes = Int(context.modalValue("minutes")?.trimmingCharacters(in: .whitespaces) ?? "") ?? 60
                guard (1...10_080).contains(minutes) else { throw CommandError("Minutes must be between 1 and 10080.") }
                return try await create(question: context.modalValue("question") ?? "", options: context.modalValue("options") ?? "",
                                        minutes: minutes, context)
            },
        ]
    }

    static var jobs: [Job<PollsCog>] {
        [
            // Scheduled per poll; no grace limit, so a poll due while the bot was down closes on start.
            Job("close") { _, context in
                guard let id = Int64(context.state) else { throw CommandError("bad poll id '\(context.state)'") }
                _ = try await close(id, context.storage, context.discord)
            },
        ]
    }

    init(setup: CogSetup) {}

    static func create(question: String, options text: String, minutes: Int, _ context: CommandContext) async throws -> Reply {
        let guild = try context.requireGuild()
        guard let channel = context.channelID else { throw CommandError("Polls can only be posted in a channel.") }
        let question = question.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !question.isEmpty else { throw CommandError("The poll needs a question.") }
        let options = try Poll.parseOptions(text)
        let id = try context.storage.execute(
            "INSERT INTO polls__polls (guild_id, channel_id, author_id, question, options) VALUES (?, ?, ?, ?, ?)",
            [.id(guild), .id(channel), .id(context.user.id), .text(question), .text(options.joined(separator: "\n"))]
        ).lastInsertRowID
        let closesAt = try await context.jobs.schedule("close", after: .seconds(minutes * 60), state: String(id))
        try context.storage.execute("UPDATE polls__polls SET closes_at = ? WHERE id = ?",
                                    [.integer(Int64(closesAt.timeIntervalSince1970)), .integer(id)])
        guard let poll = try Poll.load(id, context.storage) else { throw CommandError("The poll could not be saved.") }
        let posted: SentMessage
        do {
            posted = try await context.discord.send(to: channel, embeds: [poll.embed], components: poll.buttons)
        } catch {
            try await context.jobs.cancel("close", state: String(id))
            try context.storage.execute("DELETE FROM polls__polls WHERE id = ?", [.integer(id)])
            context.logger.warning("could not post poll \(id): \(error)")
            throw CommandError("I could not post the poll in this channel. Check that I may send messages here.")
        }
        try context.storage.execute("UPDATE polls__polls SET message_id = ? WHERE id = ?", [.id(posted.id), .integer(id)])
        return .message("📊 Poll #\(id) posted. It closes <t:\(Int64(closesAt.timeIntervalSince1970)):R>.", ephemeral: true)
    }

    static func vote(_ context: CommandContext) throws -> Reply {
        let parts = context.state.split(separator: ":")
        guard parts.count == 2, let id = Int64(parts[0]), let choice = Int(parts[1]) else {
            throw CommandError("This button is no longer valid.")
        }
        guard let poll = try Poll.load(id, context.storage), poll.options.indices.contains(choice) else {
            throw CommandError("This poll no longer exists.")
        }
        guard !poll.closed else { throw CommandError("This poll is closed.") }
        try context.storage.execute(
            "INSERT INTO polls__votes (poll_id, user_id, choice) VALUES (?, ?, ?) ON CONFLICT (poll_id, user_id) DO UPDATE SET choice = excluded.choice",
            [.integer(id), .id(context.user.id), .integer(Int64(choice))]
        )
        guard let updated = try Poll.load(id, context.storage) else { throw CommandError("This poll no longer exists.") }
        return .update(embeds: [updated.embed], components: updated.buttons)
    }

    /// Marks the poll closed and shows the final results on its message, without buttons.
    /// Returns `false` when it was already closed.
    static func close(_ id: Int64, _ storage: CogStorage, _ discord: DiscordClient) async throws -> Bool {
        guard try storage.execute("UPDATE polls__polls SET closed = 1 WHERE id = ? AND closed = 0", [.integer(id)]).changes > 0,
              let poll = try Poll.load(id, storage) else { return false }
        if let message = poll.message {
            try await discord.edit(message, embeds: [poll.embed], components: [])
        }
        return true
    }

    static func requirePoll(_ id: Int, _ context: CommandContext) throws -> Poll {
        guard let poll = try Poll.load(Int64(id), context.storage), poll.guildID == context.guildID else {
            throw CommandError("There is no poll #\(id) in this server.")
        }
        return poll
    }
}

@_cdecl("cog_entry")
public func cogEntry() -> UnsafeRawPointer { exportCog(PollsCog.self) }
