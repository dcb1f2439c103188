import BotTestSupport
import ChaosSoak
import CogwheelTestSupport
import DiscordModels
import DiscordSimulator
import Foundation
import Operations
import Testing

/// `cogwheel run` as an operator runs it: a separate process, stopped by signals, killed,
/// restarted on the same data directory, telling an operations webhook what happened.
/// Serialized: two tests bind the shipped operations address, 127.0.0.1:9464.
@Suite("The bot as a process: signals, crash loops and operator notices", .serialized)
struct BotProcessTests {
    static let webhook = SimulatorConfiguration.IncomingWebhook(
        id: 1_300_000_000_000_000_001, token: "webhook-secret-7f3a9c", channelID: 900_000_000_000_000_002)

    @Test("SIGTERM during in-flight commands answers each, exits 0, and the next process resumes the session")
    func sigtermFinishesInFlightAndTheNextProcessResumes() async throws {
        try await withBotDirectory { discord, directory, environment in
            let first = try Self.start(environment, log: directory.appendingPathComponent("first.log"))
            defer { first.stop() }
            try await Self.waitUntilServing(discord, process: first)
            let inFlight = try (0..<3).map { _ in try discord.sendCommand("/slow ms:1500", as: BotHarness.player) }
            try await Task.sleep(for: .milliseconds(400))
            first.send(SIGTERM)
            let status = try await first.exitStatus(within: .seconds(20))
            #expect(status == 0, "exit status; output:\n\(first.output)")
            for id in inFlight {
                #expect(await discord.waitForAnswers(to: id, timeout: .seconds(5)))
                #expect(discord.answers(to: id).last?.content?.contains("slow") == true, "\(discord.answers(to: id))")
            }
            #expect(first.output.contains("saved the gateway session"))

            let second = try Self.start(environment, log: directory.appendingPathComponent("second.log"))
            defer { second.stop() }
            try await BotHarness.waitUntil("the second process resumed", timeout: .seconds(30)) { discord.statistics.resumes == 1 }
            let answers = try await discord.run("/probe", as: BotHarness.player, timeout: .seconds(10))
            #expect(answers.first?.content?.contains("probe") == true)
            #expect(discord.statistics.identifies == 1, "the session was resumed, not identified again")
            second.send(SIGTERM)
            #expect(try await second.exitStatus(within: .seconds(20)) == 0)

            let notices = Self.notices(discord)
            #expect(notices.filter { $0.contains("started") }.count == 2, "\(notices)")
            #expect(!notices.contains { $0.contains("crash") }, "a planned stop is not a crash: \(notices)")
            let everything = first.output + second.output + notices.joined()
            #expect(!everything.contains(BotHarness.token))
            #expect(!everything.contains(Self.webhook.token))
        }
    }

    @Test("with the shipped defaults (operations server on): SIGTERM drains with /ready 503 'shutting down', exits 0, and an idle stop takes under 2 s")
    func sigtermWithTheShippedDefaults() async throws {
        try await withBotDirectory { discord, directory, _ in
            let environment = Self.shippedDefaults(discord, directory)
            try await Self.withShippedOperations { operations in
                let first = try Self.start(environment, log: directory.appendingPathComponent("first.log"))
                defer { first.stop() }
                try await Self.waitUntilServing(discord, process: first)
                #expect(try await operations.waitForReady().status == 200, "\(first.output)")

                let inFlight = try discord.sendCommand("/slow ms:1500", as: BotHarness.player)
                try await Task.sleep(for: .milliseconds(300))
                first.send(SIGTERM)
                var drainingAnswer: OperationsClient.Answer?
                let deadline = ContinuousClock.now + .seconds(5)
                while drainingAnswer == nil, ContinuousClock.now < deadline, first.isRunning {
                    if let answer = try? await operations.get("/ready"), answer.status == 503 { drainingAnswer = answer }
                    try await Task.sleep(for: .milliseconds(20))
                }
                let reasons = drainingAnswer?.json["reasons"] as? [String] ?? []
                #expect(reasons.first == "shutting down", "/ready while draining: \(drainingAnswer?.text ?? "no 503 seen")")
                #expect(try await first.exitStatus(within: .seconds(10)) == 0, "output:\n\(first.output)")
                #expect(await discord.waitForAnswers(to: inFlight, timeout: .seconds(5)))
                #expect(discord.answers(to: inFlight).last?.content?.contains("slow") == true)

                let second = try Self.start(environment, log: directory.appendingPathComponent("second.log"))
                defer { second.stop() }
                try await BotHarness.waitUntil("the second process resumed", timeout: .seconds(30)) { discord.statistics.resumes == 1 }
                try await Self.waitUntilServing(discord, process: second)
                let stopping = ContinuousClock.now
                second.send(SIGTERM)
                let status = try await second.exitStatus(within: .seconds(10))
                let took = ContinuousClock.now - stopping
                #expect(status == 0, "output:\n\(second.output)")
                #expect(took < .seconds(2), "an idle SIGTERM took \(took)")
                #expect(discord.statistics.identifies == 1, "both restarts resumed the one session")
                let crashFiles = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("crash") }
                #expect(crashFiles.isEmpty, "a planned stop is not a crash: \(crashFiles)")
                #expect(!(first.output + second.output).contains(BotHarness.token))
            }
        }
    }

    @Test("with the shipped defaults (no admin ids): an Administrator of an unrelated guild cannot /unload; the application's owner can")
    func operatorsWithTheShippedDefaults() async throws {
        let strangersGuild = SimulatorConfiguration.Guild(id: 900_000_000_000_000_101, name: "Not the operator's", channelID: 900_000_000_000_000_102)
        try await withBotDirectory(configure: { $0.guilds.append(strangersGuild) }) { discord, directory, _ in
            let environment = Self.shippedDefaults(discord, directory)
            let stranger = InteractionFactory.Invoker(id: 800_000_000_000_000_066, username: "mallory", permissions: 8)
            let owner = InteractionFactory.Invoker(id: SimulatorConfiguration.defaultOwnerID.rawValue, username: "owner")
            let process = try Self.start(environment, log: directory.appendingPathComponent("bot.log"))
            defer { process.stop() }
            try await Self.waitUntilServing(discord, process: process)
            try await BotHarness.waitUntil("the bot asked Discord who owns it", timeout: .seconds(10)) {
                process.output.contains("operators: from Discord \(owner.id) (owner)")
            }

            let refused = try await discord.run("/unload probe", as: stranger, guild: strangersGuild)
            #expect(refused.last?.content?.hasPrefix("⛔ /unload is for the bot's operators") == true, "\(refused)")
            #expect(try await discord.run("/probe", as: BotHarness.player, guild: strangersGuild).first?.content?.contains("probe") == true,
                    "the cog keeps serving every guild")
            let audit = try await discord.run("/audit", as: stranger, guild: strangersGuild).last?.message ?? []
            #expect(String(decoding: audit, as: UTF8.self).contains("/unload probe"), "a guild's admin sees the refused attempt in that guild's audit")

            let unloaded = try await discord.run("/unload probe", as: owner)
            #expect(unloaded.last?.content?.hasPrefix("✅ Unloaded **probe**") == true, "\(unloaded)")
            process.send(SIGTERM)
            #expect(try await process.exitStatus(within: .seconds(20)) == 0)
        }
    }

    @Test("with the shipped defaults: IDENTIFY asks for the C cog's reaction intent, and a 🏓 on a member's message gets the bot's 🏓")
    func eventsWithTheShippedDefaults() async throws {
        try await withBotDirectory { discord, directory, _ in
            try BuiltCogs.install("ping", as: "ping", in: directory.appendingPathComponent("cogs"))
            let process = try Self.start(Self.shippedDefaults(discord, directory), log: directory.appendingPathComponent("bot.log"))
            defer { process.stop() }
            try await Self.waitUntilServing(discord, process: process)
            let said = discord.say("table tennis, anyone?", as: BotHarness.player)
            discord.react("🏓", to: said, as: BotHarness.player)
            try await BotHarness.waitUntil("the ping cog answered the reaction", timeout: .seconds(10)) {
                discord.postedMessage(said)?.reactions == ["🏓"]
            }
            process.send(SIGTERM)
            #expect(try await process.exitStatus(within: .seconds(20)) == 0)
            #expect(!process.output.contains(BotHarness.token))
        }
    }

    @Test("with the shipped defaults: a joining member is welcomed and given the auto-role, and a kick Discord would refuse is refused by the host with its reason")
    func actionsWithTheShippedDefaults() async throws {
        try await withBotDirectory { discord, directory, _ in
            for cog in ["welcome", "moderation"] { try BuiltCogs.install(cog, as: cog, in: directory.appendingPathComponent("cogs")) }
            let process = try Self.start(Self.shippedDefaults(discord, directory), log: directory.appendingPathComponent("bot.log"))
            defer { process.stop() }
            try await Self.waitUntilServing(discord, process: process)
            let owner = InteractionFactory.Invoker(id: SimulatorConfiguration.defaultOwnerID.rawValue, username: "owner",
                                                   permissions: (1 << 51) - 1)
            let channel = discord.configuration.guilds[0].channelID
            let members = discord.createRole("Members")
            let council = discord.createRole("Council", position: 20)
            let senior = InteractionFactory.Invoker(id: 800_000_000_000_000_090, username: "senior")
            discord.memberJoins(senior)
            discord.updateMember(senior, roles: [council])
            _ = try await discord.run("/welcome channel channel:\(channel)", as: owner)
            _ = try await discord.run("/welcome autorole role:\(members)", as: owner)
            discord.memberJoins(BotHarness.player)
            try await BotHarness.waitUntil("the newcomer was greeted and given the role", timeout: .seconds(10)) {
                discord.requests.contains { $0.method == "PUT" && $0.path.hasSuffix("/members/\(BotHarness.player.id)/roles/\(members)") }
                    && discord.messages(in: channel).contains { String(decoding: $0, as: UTF8.self).contains("<@\(BotHarness.player.id)>") }
            }
            let kick = try await discord.run("/kick member:\(senior.id) reason:test", as: owner).last?.content ?? ""
            #expect(kick.contains("their highest role is not below the bot's"), "\(kick)")
            #expect(!discord.requests.contains { $0.method == "DELETE" && $0.route == "/guilds/{guild_id}/members/{user_id}" })
            #expect(!discord.requests.contains { $0.status == 403 }, "a predictable refusal reached Discord")
            process.send(SIGTERM)
            #expect(try await process.exitStatus(within: .seconds(20)) == 0)
        }
    }

    @Test("with the shipped defaults: two endless queries from a cog are interrupted within 2 s while other cogs answer and /health is 200")
    func endlessQueriesAreInterrupted() async throws {
        try await withBotDirectory { discord, directory, _ in
            try BuiltCogs.install("dice", as: "dice", in: directory.appendingPathComponent("cogs"))
            let environment = Self.shippedDefaults(discord, directory)
            try await Self.withShippedOperations { operations in
                let process = try Self.start(environment, log: directory.appendingPathComponent("bot.log"))
                defer { process.stop() }
                try await Self.waitUntilServing(discord, process: process)
                #expect(try await operations.waitForReady().status == 200)

                let endless = "/sql WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c"
                let started = ContinuousClock.now
                let queries = try (0..<2).map { _ in try discord.sendCommand(endless, as: BotHarness.player) }
                let roll = try await discord.run("/roll 1d6", as: BotHarness.player, timeout: .seconds(2))
                #expect(roll.last?.content?.contains("rolled") == true, "another cog answers meanwhile: \(roll)")
                #expect(try await operations.get("/health").status == 200)
                for query in queries {
                    #expect(await discord.waitForAnswers(to: query, timeout: .seconds(2)))
                    let answer = discord.answers(to: query).last?.content ?? ""
                    #expect(answer.contains("time budget of 250 ms"), "\(answer)")
                }
                #expect(ContinuousClock.now - started < .seconds(2))
                #expect(try await discord.run("/probe", as: BotHarness.player).first?.content?.contains("probe") == true)
                process.send(SIGTERM)
                #expect(try await process.exitStatus(within: .seconds(20)) == 0)
            }
        }
    }

    @Test("a cog allowed 3 s per statement, running four at once, holds only its own threads: another cog and /health answer meanwhile")
    func slowStatementsHoldOnlyTheirCog() async throws {
        try await withBotDirectory { discord, directory, _ in
            try BuiltCogs.install("dice", as: "dice", in: directory.appendingPathComponent("cogs"))
            var environment = Self.shippedDefaults(discord, directory)
            environment["COGWHEEL_SQL_BUDGET_MS"] = "250,probe=3000"
            try await Self.withShippedOperations { operations in
                let process = try Self.start(environment, log: directory.appendingPathComponent("bot.log"))
                defer { process.stop() }
                try await Self.waitUntilServing(discord, process: process)
                // More statements than the machine has cores: on the shared pool they would leave
                // no thread for anything else until the budget ends them.
                let endless = "/sql WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c"
                let queries = try (0..<4).map { _ in try discord.sendCommand(endless, as: BotHarness.player) }
                try await Task.sleep(for: .milliseconds(300))
                let started = ContinuousClock.now
                let roll = try await discord.run("/roll 1d6", as: BotHarness.player, timeout: .seconds(5))
                #expect(roll.last?.content?.contains("rolled") == true, "\(roll)")
                #expect(try await operations.get("/health").status == 200)
                #expect(ContinuousClock.now - started < .seconds(1), "another cog waited for the slow statements")
                for query in queries {
                    #expect(await discord.waitForAnswers(to: query, count: 2, timeout: .seconds(15)))
                    #expect(discord.answers(to: query).last?.content?.contains("time budget of 3 s") == true)
                }
            }
        }
    }

    @Test("repeated crashes within the window delay the next connect, and the operators are told")
    func crashLoopBacksOff() async throws {
        try await withBotDirectory { discord, directory, environment in
            var environment = environment
            environment["COGWHEEL_CRASH_LOOP_AFTER"] = "2"
            environment["COGWHEEL_CRASH_BACKOFF_MAX_SECONDS"] = "30"
            for run in 1...2 {
                let process = try Self.start(environment, log: directory.appendingPathComponent("run\(run).log"))
                defer { process.stop() }
                try await Self.waitUntilServing(discord, process: process)
                process.send(SIGKILL)
                _ = try await process.exitStatus(within: .seconds(10))
            }
            let connectionsBefore = discord.statistics.connections
            let third = try Self.start(environment, log: directory.appendingPathComponent("run3.log"))
            defer { third.stop() }
            try await BotHarness.waitUntil("the crash loop is noticed", timeout: .seconds(20)) { third.output.contains("crash loop") }
            try await Task.sleep(for: .seconds(2))
            #expect(discord.statistics.connections == connectionsBefore, "connected during the back-off:\n\(third.output)")
            third.send(SIGTERM)
            #expect(try await third.exitStatus(within: .seconds(10)) == 0, "SIGTERM ends the back-off wait")

            let notices = Self.notices(discord)
            let crashNotices = notices.filter { $0.contains("restarted after a crash") }
            #expect(crashNotices.count == 2, "\(notices)")
            #expect(crashNotices.last?.contains("crash loop (2 crashes") == true, "\(notices)")
            #expect(crashNotices.last?.contains("waiting 10 s") == true, "\(notices)")
            let history = try Data(contentsOf: directory.appendingPathComponent("crash-history.json"))
            #expect(String(decoding: history, as: UTF8.self).contains("crashes"))
        }
    }

    @Test("a failed reload and a failed backup reach the operations webhook; the old build keeps serving")
    func failedReloadAndBackupAreNotified() async throws {
        try await withBotDirectory { discord, directory, environment in
            var environment = environment
            environment["COGWHEEL_ADMIN_IDS"] = "\(BotHarness.admin.id)"
            let process = try Self.start(environment, log: directory.appendingPathComponent("bot.log"))
            defer { process.stop() }
            try await Self.waitUntilServing(discord, process: process)
            // A build that fails its init replaces the installed one; the backup directory becomes a file.
            try BuiltCogs.install("testcog_probe_badinit", as: "probe", in: directory.appendingPathComponent("cogs"))
            let backups = directory.appendingPathComponent("backups")
            try? FileManager.default.removeItem(at: backups)
            try Data("not a directory".utf8).write(to: backups)

            let reload = try await discord.run("/reload probe", as: BotHarness.admin, timeout: .seconds(20))
            #expect(reload.last?.content?.contains("❌") == true, "\(reload)")
            let backup = try await discord.run("/backup", as: BotHarness.admin, timeout: .seconds(20))
            #expect(backup.last?.content?.contains("❌") == true, "\(backup)")
            let still = try await discord.run("/probe", as: BotHarness.player)
            #expect(still.first?.content?.contains("probe 1") == true)

            try await BotHarness.waitUntil("both notices arrive", timeout: .seconds(10)) {
                let notices = Self.notices(discord)
                return notices.contains { $0.contains("reload of probe failed") } && notices.contains { $0.contains("backup failed") }
            }
            process.send(SIGTERM)
            #expect(try await process.exitStatus(within: .seconds(20)) == 0)
        }
    }

    // MARK: Helpers

    /// A simulator with the operations webhook, and a data directory with the probe cog.
    private func withBotDirectory(
        configure: (inout SimulatorConfiguration) -> Void = { _ in },
        _ body: @Sendable (DiscordSimulator, URL, [String: String]) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-process-\(UUID().uuidString)")
        try BuiltCogs.install("testcog_probe_v1", as: "probe", in: directory.appendingPathComponent("cogs"))
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = SimulatorConfiguration(token: BotHarness.token)
        configuration.incomingWebhook = Self.webhook
        configure(&configuration)
        try await DiscordSimulator.withRunning(configuration, logger: BotHarness.quietLogger) { discord in
            let environment = [
                "DISCORD_TOKEN": BotHarness.token, "DISCORD_API_BASE": discord.apiBase,
                "COGWHEEL_DATA_DIR": directory.path, "COGWHEEL_OPS_ADDRESS": "off",
                "COGWHEEL_NOTIFY_WEBHOOK": "\(discord.apiBase)/webhooks/\(Self.webhook.id)/\(Self.webhook.token)",
            ]
            try await body(discord, directory, environment)
        }
    }

    /// What a new operator sets: the token (and, here, where Discord is). Nothing else.
    private static func shippedDefaults(_ discord: DiscordSimulator, _ directory: URL) -> [String: String] {
        ["DISCORD_TOKEN": BotHarness.token, "DISCORD_API_BASE": discord.apiBase, "COGWHEEL_DATA_DIR": directory.path]
    }

    /// Runs `body` with a client of the shipped operations address, 127.0.0.1:9464, closed
    /// however `body` ends.
    private static func withShippedOperations(_ body: (OperationsClient) async throws -> Void) async throws {
        let operations = OperationsClient(port: OperationsAddress.defaultAddress.port)
        do {
            try await body(operations)
        } catch {
            try? await operations.shutdown()
            throw error
        }
        try await operations.shutdown()
    }

    /// Starts the built `cogwheel run` with only `environment`, its output in `log`.
    private static func start(_ environment: [String: String], log: URL) throws -> BotProcess {
        try BotProcess(executable: BuiltCogs.binDirectory.appendingPathComponent("cogwheel"), environment: environment, output: log)
    }

    /// Waits until the bot answers a command (its gateway session is ready).
    private static func waitUntilServing(_ discord: DiscordSimulator, process: BotProcess) async throws {
        try await process.waitUntilServing(discord, command: "/probe", as: BotHarness.player, timeout: .seconds(40))
    }

    private static func notices(_ discord: DiscordSimulator) -> [String] {
        discord.messages(in: webhook.channelID).compactMap { body in
            (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])?["content"] as? String
        }
    }
}
