import CogKit
import Foundation

/// The daily gazette: every morning at 09:00 UTC it posts yesterday's activity (commands run,
/// members who played, the most used commands) to the channel each server chose.
///
/// `/gazette channel` picks the channel, `/gazette off` stops the posts, `/gazette preview`
/// shows the digest so far today. A digest missed while the bot was down is posted once when
/// it comes back (the job coalesces), and never twice for the same day.
struct GazetteCog: Cog {
    static let name = "gazette"
    static let capabilities: [Capability] = [.messagesSend]
    static let version = "1.0.0"

    /// The channel the digest goes to, per guild (0 for none).
    static let channelKey = StorageKey<UInt64>("channel", default: 0)
    /// The last day posted, per guild, so a repeated run posts nothing twice.
    static let lastPostedKey = StorageKey<String>("last_posted_day", default: "")

    static var commands: [Command<GazetteCog>] {
        [
            Command("gazette", "The daily digest of this server's activity", defaultMemberPermissions: .manageGuild, subcommands: [
                Command("channel", "Post the daily digest in a channel",
                        options: [.channel("channel", "Where to post it", required: true)]) { _, context in
                    let guild = try requireManager(context)
                    let channel: Channel = try context.option("channel")
                    try context.storage.set(channelKey, to: channel.id.rawValue, in: .guild(guild))
                    return .message("🗞️ The daily digest will be posted in \(channel.mention) every day at 09:00 UTC.", ephemeral: true)
                },
                Command("off", "Stop posting the daily digest") { _, context in
                    let guild = try requireManager(context)
                    try context.storage.reset(channelKey, in: .guild(guild))
                    return .message("The daily digest is off.", ephemeral: true)
                },
                Command("preview", "Show today's digest so far") { _, context in
                    let guild = try context.requireGuild()
                    return .embed(digest(try await context.activity.report(for: guild, day: "today"), title: "Today so far"),
                                  ephemeral: true)
                },
            ]),
        ]
    }

    static var jobs: [Job<GazetteCog>] {
        [
            Job("daily-digest", schedule: .cron("0 9 * * *", timeZone: "UTC")) { _, context in
                try await postDigests(context)
            },
        ]
    }

    init(setup: CogSetup) {}

    static func requireManager(_ context: CommandContext) throws -> Snowflake {
        let guild = try context.requireGuild()
        guard context.memberPermissions?.contains(.manageGuild) == true else {
            throw CommandError("Setting up the gazette needs the Manage Server permission.")
        }
        return guild
    }

    /// Posts yesterday's digest to every guild that chose a channel. A guild whose post fails
    /// is logged and the others still get theirs.
    static func postDigests(_ context: JobContext) async throws {
        var failures = 0
        for entry in try context.storage.entries(UInt64.self, in: .guild(Snowflake(0)), prefix: channelKey.name)
        where entry.key == channelKey.name && entry.value != 0 {
            guard case .guild(let guild) = entry.scope else { continue }
            let channel = Snowflake(entry.value)
            let report = try await context.activity.report(for: guild)
            guard try context.storage.get(lastPostedKey, in: .guild(guild)) != report.day else { continue }
            do {
                try await context.discord.send(to: channel, embeds: [digest(report, title: "The daily gazette — \(report.day)")])
                try context.storage.set(lastPostedKey, to: report.day, in: .guild(guild))
            } catch {
                failures += 1
                context.logger.warning("could not post the digest for guild \(guild) in channel \(channel): \(error)")
            }
        }
        if failures > 0 { throw CommandError("\(failures) digest(s) could not be posted") }
    }

    static func digest(_ report: GuildActivity.Report, title: String) -> Embed {
        var embed = Embed(title: "🗞️ \(title)", colour: 0xF1C40F)
        guard report.commands > 0 else {
            embed.description = "A quiet day: nobody ran a command."
            return embed
        }
        embed.description = "**\(report.commands)** command\(report.commands == 1 ? "" : "s") by **\(report.players)** member\(report.players == 1 ? "" : "s")."
        let top = report.top.prefix(5).enumerated().map { index, entry in "\(index + 1). `\(entry.command)` — \(entry.uses)" }
        embed.fields = [Embed.Field(name: "Most used", value: top.joined(separator: "\n"))]
        return embed
    }
}

@_cdecl("cog_entry")
public func cogEntry() -> UnsafeRawPointer { exportCog(GazetteCog.self) }
