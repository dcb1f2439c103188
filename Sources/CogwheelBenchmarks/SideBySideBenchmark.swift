import CogHost
import DiscordModels
import DiscordSimulator
import Foundation
import Logging

/// Cogwheel and discord.py measured one after the other in each run, on the same machine,
/// against the same simulator with the same events: ingest, round trips, reload under load
/// and memory. Every figure comes back paired, so its ratio is taken within one run.
///
/// Ingest and round trips run Cogwheel's gateway, router and cogs in this process (as
/// ``ConnectivityBenchmark`` does) and discord.py as a child. Reloads and memory run both bots
/// as child processes: the release `cogwheel run` and `bench/discordpy/bench_bot.py`.
struct SideBySideBenchmark {
    let host: CogHost
    let workspace: URL
    let buildDirectory: URL
    let events: Int
    let roundTrips: Int
    let reloads: Int
    let guilds: Int
    let logger: Logger

    func run() async throws -> [Comparison] {
        let connectivity = ConnectivityBenchmark(host: host, workspace: workspace, events: events, roundTrips: roundTrips,
                                                 logger: logger)
        let guild = try Self.largeGuild()
        let megabytes = Double(guild.count) / 1_000_000
        let guildCreates = max(5, events / 2000)
        let cogwheelIngest = [
            try await connectivity.ingest(event: "INTERACTION_CREATE",
                                          payload: ConnectivityBenchmark.pingInteraction(host: host), count: events),
            try await connectivity.ingest(event: "MESSAGE_CREATE", payload: Self.messageCreate, count: events),
            try await connectivity.ingest(event: "GUILD_CREATE", payload: Array(guild), count: guildCreates),
        ]
        var cogwheelRoundTrips: [RoundTripFigures] = []
        for inFlight in Self.inFlightLevels {
            cogwheelRoundTrips.append(try await connectivity.roundTrip(inFlight: inFlight))
        }

        let (discordPyIngest, discordPyRoundTrips) = try await DiscordSimulator.withRunning(
            ConnectivityBenchmark.simulatorConfiguration(), logger: logger
        ) { discord in
            let bot = try ChildBot.discordPy(discord, token: ConnectivityBenchmark.token)
            defer { bot.stop() }
            try await bot.waitUntilAnswering(discord)
            // In a guild the bot has cached, as on Discord: discord.py builds the channel from its cache.
            let home = discord.configuration.guilds[0]
            var factory = InteractionFactory(applicationID: discord.configuration.applicationID.rawValue)
            let ping = try factory.command(line: "/ping", definitions: discord.registeredCommands(), as: .init(id: 7, username: "bench"),
                                           guildID: home.id.rawValue, channelID: home.channelID.rawValue)
            let ingest = [
                try await ingest(bot, discord, event: "INTERACTION_CREATE", payload: ping, count: events),
                try await ingest(bot, discord, event: "MESSAGE_CREATE", payload: Self.messageCreate, count: events),
                try await ingest(bot, discord, event: "GUILD_CREATE", payload: Array(guild), count: guildCreates),
            ]
            let mark = bot.linesPrinted
            bot.send("answer")
            try await bot.waitForLine(startingWith: "ANSWERING", after: mark)
            var roundTrips: [RoundTripFigures] = []
            for inFlight in Self.inFlightLevels {
                let figures = try await ConnectivityBenchmark.measureRoundTrips(inFlight: inFlight, total: self.roundTrips,
                                                                                discord: discord)
                print(figures.summary("discord.py round trip at \(inFlight) in flight"))
                roundTrips.append(figures)
            }
            return (ingest, roundTrips)
        }

        var comparisons: [Comparison] = []
        for (index, event) in ["INTERACTION_CREATE", "MESSAGE_CREATE", "GUILD_CREATE"].enumerated() {
            let (ours, theirs, count) = (cogwheelIngest[index], discordPyIngest[index], index == 2 ? guildCreates : events)
            comparisons += [
                index == 2
                    ? Comparison(String(format: "ingest GUILD_CREATE (%.1f MB fixture)", megabytes), ours.perSecond * megabytes,
                                 theirs.perSecond * megabytes, "MB/s")
                    : Comparison("ingest \(event) until the handler ran", ours.perSecond, theirs.perSecond, "events/s"),
                // Cogwheel's CPU includes the simulator sending the frames; discord.py's is the bot's
                // alone (the simulator's share is printed with it: it cannot be subtracted, because
                // feeding a slow reader costs the simulator more than feeding a fast one).
                Comparison("… CPU per 1,000 \(event) (Cogwheel: bot and simulator; discord.py: bot alone)",
                           ours.cpuSeconds * 1000 / Double(count), theirs.cpuSeconds * 1000 / Double(count), "CPU-s"),
            ]
        }
        for (index, inFlight) in Self.inFlightLevels.enumerated() {
            let (ours, theirs) = (cogwheelRoundTrips[index], discordPyRoundTrips[index])
            comparisons += [
                Comparison("round trip at \(inFlight) in flight: p50", ours.p50, theirs.p50, "ms"),
                Comparison("round trip at \(inFlight) in flight: p99", ours.p99, theirs.p99, "ms"),
                Comparison("round trip at \(inFlight) in flight: throughput", ours.throughput, theirs.throughput, "commands/s"),
            ]
        }
        return comparisons + (try await lifecycles())
    }

    static let inFlightLevels = [1, 16, 64]

    /// N identical events from the simulator until the discord.py bot reports the N-th reached
    /// its handler.
    private func ingest(_ bot: ChildBot, _ discord: DiscordSimulator, event: String, payload: [UInt8], count: Int) async throws -> IngestFigures {
        let mark = bot.linesPrinted
        bot.send("expect \(event) \(count)")
        try await bot.waitForLine(startingWith: "EXPECTING \(event)", after: mark)
        let started = ContinuousClock.now
        let (botCPU, simulatorCPU) = (bot.cpuSeconds, CPUTime.now())
        for _ in 0..<count { discord.dispatch(event, data: payload) }
        try await bot.waitForLine(startingWith: "REACHED \(event) \(count)", after: mark, timeout: .seconds(600))
        let figures = IngestFigures(perSecond: Double(count) / ((ContinuousClock.now - started).milliseconds / 1000),
                                    cpuSeconds: bot.cpuSeconds - botCPU, simulatorCPUSeconds: CPUTime.now() - simulatorCPU)
        print(String(format: "  discord.py ingest %@: %.0f events/s (%.2f CPU-s for the bot, %.2f for the simulator feeding it)",
                     event, figures.perSecond, figures.cpuSeconds, figures.simulatorCPUSeconds ?? 0))
        return figures
    }

    /// Memory and reloads, each bot in a child process of its own.
    private func lifecycles() async throws -> [Comparison] {
        let cogwheel = try await DiscordSimulator.withRunning(ConnectivityBenchmark.simulatorConfiguration(), logger: logger) { discord in
            let directory = workspace.appendingPathComponent("lifecycle-\(UUID().uuidString)")
            let cogs = directory.appendingPathComponent("cogs")
            let dice = buildDirectory.appendingPathComponent("libdice.so")
            try CogInstaller.install(library: dice, as: "dice", into: cogs)
            try CogInstaller.install(library: buildDirectory.appendingPathComponent("libping.so"), as: "ping", into: cogs)
            let bot = try ChildBot.cogwheel(executable: buildDirectory.appendingPathComponent("cogwheel"), discord,
                                            token: ConnectivityBenchmark.token, dataDirectory: directory.appendingPathComponent("data"),
                                            cogsDirectory: cogs, admin: LifecycleMeasurement.admin.id)
            defer { bot.stop() }
            // A rebuild gives a new file each time; a unique trailer makes each install one.
            return try await LifecycleMeasurement(bot: bot, discord: discord, guilds: guilds, reloads: reloads) {
                try CogInstaller.install(library: dice, as: "dice", into: cogs, trailer: Array(UUID().uuidString.utf8))
            }.run()
        }
        let discordPy = try await DiscordSimulator.withRunning(ConnectivityBenchmark.simulatorConfiguration(), logger: logger) { discord in
            let bot = try ChildBot.discordPy(discord, token: ConnectivityBenchmark.token)
            defer { bot.stop() }
            return try await LifecycleMeasurement(bot: bot, discord: discord, guilds: guilds, reloads: reloads) {}.run()
        }
        let mebibyte = 1024.0 * 1024
        return [
            Comparison("reload under \(LifecycleMeasurement.loadPerSecond) interactions/s: p50", cogwheel.reloadP50, discordPy.reloadP50, "ms"),
            Comparison("reload under \(LifecycleMeasurement.loadPerSecond) interactions/s: p99", cogwheel.reloadP99, discordPy.reloadP99, "ms"),
            Comparison("reloads under load unanswered after \(LifecycleMeasurement.reloadTimeout)", Double(cogwheel.reloadsUnanswered),
                       Double(discordPy.reloadsUnanswered), "count"),
            Comparison("interactions sent during \(reloads) reloads", Double(cogwheel.sent), Double(discordPy.sent), "count"),
            Comparison("… of those never answered", Double(cogwheel.sent - cogwheel.answered),
                       Double(discordPy.sent - discordPy.answered), "count"),
            Comparison("… answered with an error", Double(cogwheel.errors), Double(discordPy.errors), "count"),
            Comparison("RSS idle after READY", Double(cogwheel.idleBytes) / mebibyte, Double(discordPy.idleBytes) / mebibyte, "MiB"),
            Comparison("RSS after \(guilds) GUILD_CREATE of distinct guilds", Double(cogwheel.afterGuildsBytes) / mebibyte,
                       Double(discordPy.afterGuildsBytes) / mebibyte, "MiB"),
            Comparison("RSS growth over \(2 * reloads) more reloads", cogwheel.reloadGrowthBytes.map { Double($0) / mebibyte } ?? .nan,
                       discordPy.reloadGrowthBytes.map { Double($0) / mebibyte } ?? .nan, "MiB"),
        ]
    }

    /// The large GUILD_CREATE fixture as Discord sends it today. The capture predates the
    /// members' `flags` and the presences' `client_status` and `activities` (it has the old
    /// `game`), without which discord.py 2.x refuses the guild. Both bots get these same bytes.
    static func largeGuild() throws -> Data {
        let fixture = ConnectivityBenchmark.largeGuildFixture
        guard var guild = try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as? [String: Any],
              let members = guild["members"] as? [[String: Any]],
              let presences = guild["presences"] as? [[String: Any]]
        else { throw BenchmarkError("\(fixture.path) is not a guild with members and presences") }
        guild["members"] = members.map { $0.merging(["flags": 0]) { current, _ in current } }
        guild["presences"] = presences.map { presence in
            presence.merging(["client_status": [String: Any](), "activities": presence["game"].map { [$0] } ?? []]) { current, _ in current }
        }
        return try JSONSerialization.data(withJSONObject: guild)
    }

    static let messageCreate = Array(#"{"id":"1300000000000000001","channel_id":"900000000000000002","guild_id":"900000000000000001","type":0,"content":"hello there, general kenobi","author":{"id":"800000000000000002","username":"bob","discriminator":"0","global_name":"Bob","avatar":null},"timestamp":"2026-11-22T10:00:00.000000+00:00","edited_timestamp":null,"tts":false,"mention_everyone":false,"mentions":[],"mention_roles":[],"attachments":[],"embeds":[],"pinned":false,"flags":0,"components":[]}"#.utf8)
}

/// One figure measured on both bots in the same run.
struct Comparison {
    var label: String
    var cogwheel: Double
    var discordPy: Double
    var unit: String

    init(_ label: String, _ cogwheel: Double, _ discordPy: Double, _ unit: String) {
        (self.label, self.cogwheel, self.discordPy, self.unit) = (label, cogwheel, discordPy, unit)
    }

    /// Cogwheel's figure over discord.py's; `nil` when discord.py's is zero or either is missing.
    var ratio: Double? { discordPy == 0 || discordPy.isNaN || cogwheel.isNaN ? nil : cogwheel / discordPy }
}
