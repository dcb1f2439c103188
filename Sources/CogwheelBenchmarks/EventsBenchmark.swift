import CogHost
import DiscordModels
import DiscordSimulator
import Foundation
import Logging

/// Gateway events to a listening cog, Cogwheel beside discord.py (issue 17). Both bots run as
/// child processes against one simulator in this process, each with a cog that counts what its
/// listeners receive: the release `cogwheel run` with `bench/cogs/listener` (a Swift cog with
/// typed `messageCreated` and `memberJoined` listeners) and discord.py with
/// `bench/discordpy/listeners.py` (a `commands.Cog` with `on_message` and `on_member_join`).
///
/// Every payload is built before the clock starts. Each bot's CPU is read from `/proc` for its
/// own process, and the simulator's CPU (this process) is printed beside it: when a bot's wall
/// rate equals what the simulator can send, the figure is the simulator's, not the bot's.
struct EventsBenchmark {
    let buildDirectory: URL
    let workspace: URL
    /// Events per kind, rounded up to a multiple of 1,000 (the listener cog logs every 1,000th).
    let events: Int
    let guilds: Int
    let logger: Logger

    /// Members in each guild of the "with members" memory figure: below Discord's default
    /// `large_threshold`, so the GUILD_CREATE carries them all and no bot asks for more.
    static let membersPerGuild = 40

    struct Figures {
        var messagesPerCPUSecond = 0.0
        var messagesPerSecond = 0.0
        var joinsPerCPUSecond = 0.0
        var joinsPerSecond = 0.0
        var bytesPerBareGuild = 0.0
        var bytesPerPopulatedGuild = 0.0
    }

    func run() async throws -> [Comparison] {
        let count = (events + 999) / 1000 * 1000
        let messages = (0..<count).map { Self.messageCreate(id: 1_300_000_000_000_000_000 + UInt64($0), author: UInt64($0 % 500)) }
        let joins = (0..<count).map { Self.memberAdd(user: 1_400_000_000_000_000_000 + UInt64($0)) }
        let bare = try Self.distinctGuilds(guilds, members: 0, firstID: 1_100_000_000_000_000_000)
        let populated = try Self.distinctGuilds(guilds, members: Self.membersPerGuild, firstID: 1_100_000_000_000_100_000)

        let cogwheel = try await DiscordSimulator.withRunning(ConnectivityBenchmark.simulatorConfiguration(), logger: logger) { discord in
            let directory = workspace.appendingPathComponent("events-\(UUID().uuidString)")
            let cogs = directory.appendingPathComponent("cogs")
            try CogInstaller.install(library: buildDirectory.appendingPathComponent("libbenchcog_listener.so"), as: "listener", into: cogs)
            try CogInstaller.install(library: buildDirectory.appendingPathComponent("libping.so"), as: "ping", into: cogs)
            // A cog's queue is bounded (1,000 events by default) and drops past it, counted; a
            // burst of the whole run at once must all arrive to be timed, as discord.py's does.
            let bot = try ChildBot.cogwheel(executable: buildDirectory.appendingPathComponent("cogwheel"), discord,
                                            token: ConnectivityBenchmark.token, dataDirectory: directory.appendingPathComponent("data"),
                                            cogsDirectory: cogs, admin: LifecycleMeasurement.admin.id, autoload: ["listener", "ping"],
                                            settings: ["COGWHEEL_EVENT_QUEUE": "\(count + 1000)"])
            defer { bot.stop() }
            return try await measure(bot, discord, messages: messages, joins: joins, bare: bare, populated: populated) { _, _ in
            } reached: { event, total, mark in
                try await bot.waitForLine(containing: "REACHED \(event) \(total)", after: mark, timeout: .seconds(600))
            }
        }
        let discordPy = try await DiscordSimulator.withRunning(ConnectivityBenchmark.simulatorConfiguration(), logger: logger) { discord in
            let bot = try ChildBot.discordPy(discord, token: ConnectivityBenchmark.token, members: true)
            defer { bot.stop() }
            return try await measure(bot, discord, messages: messages, joins: joins, bare: bare, populated: populated) { event, total in
                let mark = bot.linesPrinted
                bot.send("expect \(event) \(total)")
                try await bot.waitForLine(startingWith: "EXPECTING \(event)", after: mark)
            } reached: { event, total, mark in
                try await bot.waitForLine(startingWith: "REACHED \(event) \(total)", after: mark, timeout: .seconds(600))
            }
        }
        let kibibyte = 1024.0
        return [
            Comparison("MESSAGE_CREATE to a cog's listener: events per CPU-second of the bot", cogwheel.messagesPerCPUSecond,
                       discordPy.messagesPerCPUSecond, "events/CPU-s"),
            Comparison("… events per wall second (bounded by the simulator when equal)", cogwheel.messagesPerSecond,
                       discordPy.messagesPerSecond, "events/s"),
            Comparison("GUILD_MEMBER_ADD to a cog's listener: events per CPU-second of the bot", cogwheel.joinsPerCPUSecond,
                       discordPy.joinsPerCPUSecond, "events/CPU-s"),
            Comparison("… events per wall second", cogwheel.joinsPerSecond, discordPy.joinsPerSecond, "events/s"),
            Comparison("RSS per cached guild, without members (of \(guilds))", cogwheel.bytesPerBareGuild / kibibyte,
                       discordPy.bytesPerBareGuild / kibibyte, "KiB"),
            Comparison("RSS per cached guild, with \(Self.membersPerGuild) members (of \(guilds))", cogwheel.bytesPerPopulatedGuild / kibibyte,
                       discordPy.bytesPerPopulatedGuild / kibibyte, "KiB"),
        ]
    }

    /// The two sets of guilds (first, while the heap holds nothing freed that they could reuse),
    /// then messages, then member joins, on one bot.
    private func measure(
        _ bot: ChildBot, _ discord: DiscordSimulator, messages: [[UInt8]], joins: [[UInt8]], bare: [[UInt8]], populated: [[UInt8]],
        prepare: (String, Int) async throws -> Void, reached: (String, Int, Int) async throws -> Void
    ) async throws -> Figures {
        try await bot.waitUntilAnswering(discord)
        var figures = Figures()
        for (index, guilds) in [bare, populated].enumerated() {
            try await Task.sleep(for: .seconds(1))
            let before = bot.residentBytes
            for guild in guilds { discord.dispatch("GUILD_CREATE", data: guild) }
            // Frames arrive in order, so the answer to this /ping comes after every guild was read.
            try await bot.waitUntilAnswering(discord)
            try await Task.sleep(for: .seconds(1))
            let perGuild = Double(bot.residentBytes - before) / Double(guilds.count)
            print(String(format: "  %@: %.1f KiB RSS per guild %@", bot.name, perGuild / 1024,
                         index == 0 ? "without members" : "with \(Self.membersPerGuild) members"))
            if index == 0 { figures.bytesPerBareGuild = perGuild } else { figures.bytesPerPopulatedGuild = perGuild }
        }
        for (event, payloads) in [("MESSAGE_CREATE", messages), ("GUILD_MEMBER_ADD", joins)] {
            try await prepare(event, payloads.count)
            let mark = bot.linesPrinted
            let (started, botCPU, simulatorCPU) = (ContinuousClock.now, bot.cpuSeconds, CPUTime.now())
            for payload in payloads { discord.dispatch(event, data: payload) }
            try await reached(event, payloads.count, mark)
            let (wall, cpu) = ((ContinuousClock.now - started).milliseconds / 1000, bot.cpuSeconds - botCPU)
            let simulator = CPUTime.now() - simulatorCPU
            print(String(format: "  %@ %@: %.0f events/s, %.2f CPU-s for the bot (%.0f events per CPU-second), %.2f CPU-s for the simulator",
                         bot.name, event, Double(payloads.count) / wall, cpu, Double(payloads.count) / cpu, simulator))
            if event == "MESSAGE_CREATE" {
                (figures.messagesPerCPUSecond, figures.messagesPerSecond) = (Double(payloads.count) / cpu, Double(payloads.count) / wall)
            } else {
                (figures.joinsPerCPUSecond, figures.joinsPerSecond) = (Double(payloads.count) / cpu, Double(payloads.count) / wall)
            }
        }
        return figures
    }

    /// A member's message in the simulator's guild, as Discord sends it with the member.
    static func messageCreate(id: UInt64, author: UInt64) -> [UInt8] {
        Array(#"{"id":"\#(id)","channel_id":"900000000000000002","guild_id":"900000000000000001","type":0,"content":"hello there, general kenobi","author":{"id":"\#(800_000_000_000_010_000 + author)","username":"player\#(author)","discriminator":"0","global_name":"Player \#(author)","avatar":null},"member":{"roles":[],"joined_at":"2026-01-01T00:00:00.000000+00:00","deaf":false,"mute":false,"flags":0},"timestamp":"2026-11-22T10:00:00.000000+00:00","edited_timestamp":null,"tts":false,"mention_everyone":false,"mentions":[],"mention_roles":[],"attachments":[],"embeds":[],"pinned":false,"flags":0,"components":[]}"#.utf8)
    }

    /// A new member of the simulator's guild.
    static func memberAdd(user: UInt64) -> [UInt8] {
        Array(#"{"guild_id":"900000000000000001","user":{"id":"\#(user)","username":"newcomer\#(user % 100_000)","discriminator":"0","global_name":null,"avatar":null},"roles":[],"joined_at":"2026-11-22T10:00:00.000000+00:00","deaf":false,"mute":false,"flags":0,"pending":false,"nick":null,"avatar":null,"premium_since":null,"communication_disabled_until":null}"#.utf8)
    }

    /// The small GUILD_CREATE fixture's guild (5 channels, 4 roles) `count` times under distinct
    /// ids, with `members` distinct members each (the fixture's own are replaced) and no presences.
    static func distinctGuilds(_ count: Int, members: Int, firstID: UInt64) throws -> [[UInt8]] {
        let fixture = LifecycleMeasurement.smallGuildFixture
        guard let frame = try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as? [String: Any],
              var guild = frame["d"] as? [String: Any]
        else { throw BenchmarkError("\(fixture.path) is not a GUILD_CREATE frame") }
        guild["presences"] = []
        return try (0..<count).map { index in
            let id = firstID + UInt64(index)
            guild["id"] = "\(id)"
            guild["member_count"] = members
            guild["members"] = (0..<members).map { member -> [String: Any] in
                let user = (id << 8) &+ UInt64(member)
                return ["user": ["id": "\(user)", "username": "member\(member)", "discriminator": "0", "global_name": NSNull(), "avatar": NSNull()],
                        "roles": [], "joined_at": "2026-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0]
            }
            return Array(try JSONSerialization.data(withJSONObject: guild))
        }
    }
}
