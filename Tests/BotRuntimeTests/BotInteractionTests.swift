import BotTestSupport
import BotRuntime
import CogHost
import CogwheelTestSupport
import DiscordModels
import DiscordSimulator
import Foundation
import Testing

@Suite("Interactions through the simulated Discord")
struct BotInteractionTests {
    @Test("a slow cog is deferred automatically; its answer arrives as an edit of the original response")
    func automaticDefer() async throws {
        try await BotHarness.withBot(cogs: [("testcog_probe_v1", "probe")]) { harness in
            // 1.5 s past the 2.5 s auto-defer: a loaded machine can delay the timer that much.
            let answers = try await harness.discord.run("/slow ms:4000", as: BotHarness.player)
            #expect(answers.count == 2)
            guard case .callback(let type, _) = answers.first, case .editOriginal = answers.last else {
                Issue.record("expected a deferral then an edit, got \(answers)")
                return
            }
            #expect(type == 5)
            #expect(answers.last?.content == "slow 1.0.0 after 4000 ms")
        }
    }

    @Test("past the in-flight bound players are told the bot is busy, past the busy answers' bound nothing grows, and capacity comes back")
    func boundedInFlight() async throws {
        try await BotHarness.withBot(cogs: [("testcog_probe_v1", "probe")],
                                     host: { $0.admission = .init(serving: 2, busyAnswers: 1) }) { harness in
            let discord = harness.discord
            let served = try (0..<2).map { _ in try discord.sendCommand("/slow ms:1500", as: BotHarness.player) }
            let busy = try discord.sendCommand("/slow ms:1500", as: BotHarness.player)
            #expect(await discord.waitForAnswers(to: busy))
            #expect(discord.answers(to: busy).map(\.content) == ["The bot is very busy right now. Please try again in a few seconds."])
            #expect(discord.answers(to: busy).first?.message.map { String(decoding: $0, as: UTF8.self).contains("\"flags\":64") } == true)
            // While the two are served and the busy answer may still be on its way: dropped.
            let dropped = try discord.sendCommand("/slow ms:1500", as: BotHarness.player)
            for id in served {
                #expect(await discord.waitForAnswers(to: id))
                #expect(discord.answers(to: id).last?.content == "slow 1.0.0 after 1500 ms")
            }
            #expect(discord.answers(to: dropped).isEmpty || discord.answers(to: dropped).map(\.content) == [
                "The bot is very busy right now. Please try again in a few seconds.",
            ])
            let later = try await discord.run("/slow ms:10", as: BotHarness.player)
            #expect(later.last?.content == "slow 1.0.0 after 10 ms")
        }
    }

    @Test("a cog's own deferral, then its answer as an edit")
    func cogDefers() async throws {
        try await BotHarness.withBot(cogs: [("testcog_probe_v1", "probe")]) { harness in
            let answers = try await harness.discord.run("/thinking", as: BotHarness.player)
            #expect(answers.map(\.content) == [nil, "thought it over"])
        }
    }

    @Test("reloading a cog while interactions stream in: every one answered, same gateway session, no new IDENTIFY")
    func reloadUnderLoad() async throws {
        try await BotHarness.withBot { harness in
            let discord = harness.discord
            let session = harness.shard.sessionID
            let ids = LockedBox<[Snowflake]>([])
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for _ in 0..<300 {
                        let id = try discord.sendCommand("/coin", as: BotHarness.player)
                        ids.withLock { $0.append(id) }
                        try await Task.sleep(for: .microseconds(500))
                    }
                }
                group.addTask {
                    for build in 1...5 {
                        try BuiltCogs.install("dice", as: "dice", in: harness.directory.appendingPathComponent("cogs"),
                                              trailer: [UInt8(build)])
                        let answer = try await discord.run("/reload dice", as: BotHarness.admin)
                        #expect(answer.first?.content?.contains("Reloaded **dice**") == true, "\(answer)")
                    }
                }
                try await group.waitForAll()
            }
            for id in ids.current {
                #expect(await discord.waitForAnswers(to: id))
                let answers = discord.answers(to: id)
                #expect(answers.count == 1)
                #expect(answers.first?.content.map { $0.contains("Heads") || $0.contains("Tails") } == true, "\(answers)")
            }
            #expect(harness.shard.sessionID == session)
            #expect(discord.statistics.identifies == 1)
            #expect(discord.statistics.connections == 1)
            #expect(await harness.host.supervisor.statuses().first { $0.name == "dice" }?.generation == 6)
        }
    }

    @Test("a reload that changes no command definitions does not sync; /sync forces one")
    func syncOnlyWhenChanged() async throws {
        try await BotHarness.withBot { harness in
            try BuiltCogs.install("dice", as: "dice", in: harness.directory.appendingPathComponent("cogs"), trailer: [9])
            _ = try await harness.discord.run("/reload dice", as: BotHarness.admin)
            #expect(harness.discord.statistics.commandOverwrites == 1)
            let answer = try await harness.discord.run("/sync", as: BotHarness.admin)
            #expect(answer.first?.content?.contains("Synced commands") == true)
            #expect(harness.discord.statistics.commandOverwrites == 2)
            _ = try await harness.discord.run("/unload ping", as: BotHarness.admin)
            #expect(harness.discord.statistics.commandOverwrites == 3)
            #expect(!harness.discord.registeredCommands().contains { $0.name == "ping" })
        }
    }

    @Test("development guild: commands sync to GUILD_ID instead of globally")
    func developmentGuild() async throws {
        let guild: Snowflake = 900_000_000_000_000_001
        try await BotHarness.withBot(bot: { $0.developmentGuildID = guild }) { harness in
            #expect(harness.discord.registeredCommands().isEmpty)
            #expect(harness.discord.registeredCommands(guild: guild).contains { $0.name == "roll" })
            let answer = try await harness.discord.run("/ping", as: BotHarness.player)
            #expect(answer.first?.content?.contains("Pong") == true)
        }
    }
}

@Suite("Planned restarts and sharding")
struct BotLifecycleTests {
    @Test("a planned stop saves the session; the next process resumes it instead of identifying")
    func resumeAcrossRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-restart-\(UUID().uuidString)")
        try BuiltCogs.install("ping", as: "ping", in: directory.appendingPathComponent("cogs"))
        defer { try? FileManager.default.removeItem(at: directory) }
        try await DiscordSimulator.withRunning(SimulatorConfiguration(token: BotHarness.token), logger: BotHarness.quietLogger) { discord in
            var sessions: [String?] = []
            for run in 0..<2 {
                let session = try await DiscordBot.withRunning(
                    configuration: BotConfiguration(token: BotToken(BotHarness.token), apiBase: discord.apiBase),
                    host: HostConfiguration(dataDirectory: directory), logger: BotHarness.quietLogger
                ) { bot in
                    let answers = try await discord.run("/ping", as: BotHarness.player)
                    #expect(answers.first?.content?.contains("Pong") == true, "run \(run)")
                    return bot.shardStatuses.first?.sessionID
                }
                sessions.append(session)
            }
            #expect(sessions[0] != nil && sessions[0] == sessions[1])
            #expect(discord.statistics.identifies == 1)
            #expect(discord.statistics.resumes == 1)
            // Commands did not change between the runs: synced once.
            #expect(discord.statistics.commandOverwrites == 1)
        }
    }

    @Test("two shards in one process each get their own guilds")
    func sharding() async throws {
        let guilds = (0..<4).map { index in
            SimulatorConfiguration.Guild(id: Snowflake(UInt64(index + 1) << 22), name: "Guild \(index)",
                                         channelID: Snowflake(900_000_000_000_000_500 + UInt64(index)))
        }
        try await BotHarness.withBot(simulator: { $0.recommendedShards = 2; $0.maxConcurrency = 2; $0.guilds = guilds }) { harness in
            try await harness.waitUntil("both shards are ready") {
                harness.bot.shardStatuses.count == 2 && harness.bot.shardStatuses.allSatisfy { $0.state == .ready }
            }
            #expect(harness.discord.statistics.identifies == 2)
            for guild in guilds {
                let answers = try await harness.discord.run("/ping", as: BotHarness.player, guild: guild)
                #expect(answers.first?.content?.contains("Pong") == true)
            }
        }
    }

    @Test("the running host backs up its database on schedule while it serves commands")
    func scheduledBackup() async throws {
        try await BotHarness.withBot(host: { $0.backupInterval = .milliseconds(300) }) { harness in
            let backups = harness.host.configuration.backups
            try await harness.waitUntil("a scheduled backup exists") { !backups.existing().isEmpty }
            let answers = try await harness.discord.run("/ping", as: BotHarness.player)
            #expect(answers.first?.content?.contains("Pong") == true)
            #expect(FileManager.default.fileExists(atPath: backups.existing()[0].path + ".sha256"))
        }
    }
}
