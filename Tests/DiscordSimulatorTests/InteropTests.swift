import BotTestSupport
import BotRuntime
import CogwheelTestSupport
import DiscordModels
import DiscordREST
import DiscordSimulator
import Foundation
import Testing

/// Keeps the simulator honest: a real discord.py client must work against it, and every
/// request body Cogwheel sends must match Discord's official OpenAPI spec.
@Suite("Interoperability: discord.py and the OpenAPI spec")
struct InteropTests {
    static let interopDirectory = BuiltCogs.packageRoot.appendingPathComponent("Tests/Interop")
    static let openAPISpec = BuiltCogs.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/discord/openapi.json")

    @Test("an unmodified discord.py bot connects, syncs a command, answers an interaction, and hears a member join, a message and a reaction")
    func discordPyBot() async throws {
        try await DiscordSimulator.withRunning(SimulatorConfiguration(token: BotHarness.token), logger: BotHarness.quietLogger) { discord in
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("discordpy-\(UUID().uuidString).log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            defer { try? FileManager.default.removeItem(at: log) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", Self.interopDirectory.appendingPathComponent("discordpy_bot.py").path,
                                 discord.apiBase, discord.gatewayURL]
            var environment = ProcessInfo.processInfo.environment
            environment["DISCORD_TOKEN"] = BotHarness.token
            process.environment = environment
            let output = try FileHandle(forWritingTo: log)
            process.standardOutput = output
            process.standardError = output
            try process.run()
            defer { ChildProcess.stop(process) }
            func transcript() -> String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
            do {
                try await BotHarness.waitUntil("discord.py synced its command tree", timeout: .seconds(60)) {
                    transcript().contains("SYNCED") || !process.isRunning
                }
            } catch {
                Issue.record("discord.py did not get ready: \(transcript())")
                throw error
            }
            try #require(process.isRunning, "discord.py exited: \(transcript())")
            #expect(discord.statistics.identifies == 1)
            let echo = try #require(discord.registeredCommands().first { $0.name == "echo" })
            #expect(echo.options?.first?.name == "text")

            let answers: [RecordedAnswer]
            do {
                answers = try await discord.run("/echo hello from Cogwheel", as: BotHarness.player)
            } catch {
                Issue.record("discord.py did not answer: \(transcript())")
                throw error
            }
            #expect(answers.count == 1, "\(transcript())")
            #expect(answers.first?.content == "echo: hello from Cogwheel")

            // The simulator's world events, as discord.py's own handlers see them.
            let guild = discord.configuration.guilds[0]
            let bob = InteractionFactory.Invoker(id: 800_000_000_000_000_077, username: "bob")
            discord.memberJoins(bob)
            let said = discord.say("hello, python", as: bob)
            discord.react("👍", to: said, as: bob)
            do {
                try await BotHarness.waitUntil("discord.py heard the events", timeout: .seconds(15)) {
                    transcript().contains("REACTION \(said)") || !process.isRunning
                }
            } catch {
                Issue.record("discord.py did not hear the events: \(transcript())")
                throw error
            }
            let heard = transcript()
            #expect(heard.contains("JOINED \(guild.id) \(bob.id) bob"), "on_member_join: \(heard)")
            #expect(heard.contains("MESSAGE \(guild.channelID) bob: hello, python"), "on_message with the content: \(heard)")
            #expect(heard.contains("REACTION \(said) 👍 \(bob.id)"), "on_raw_reaction_add: \(heard)")
            try await BotHarness.waitUntil("discord.py answered the message", timeout: .seconds(10)) {
                discord.messages(in: guild.channelID).contains { String(decoding: $0, as: UTF8.self).contains("heard bob") }
            }
            #expect(!discord.requests.contains { $0.status >= 400 }, "\(discord.requests.filter { $0.status >= 400 }.map { "\($0.method) \($0.route) \($0.status)" })")
        }
    }

    @Test("every request body Cogwheel sends validates against Discord's OpenAPI spec")
    func requestBodiesMatchTheSpec() async throws {
        let guild: Snowflake = 900_000_000_000_000_001
        let requests = try await BotHarness.withBot(cogs: [("testcog_probe_v1", "probe"), ("dice", "dice"), ("ping", "ping")],
                                                    bot: { $0.developmentGuildID = guild }) { harness in
            let discord = harness.discord
            _ = try await discord.run("/roll 2d6", as: BotHarness.player)
            _ = try await discord.run("/roll banana", as: BotHarness.player)
            _ = try await discord.run("/thinking", as: BotHarness.player)
            _ = try await discord.run("/config show", as: BotHarness.player)
            _ = try await discord.run("/cogs", as: BotHarness.admin)
            _ = try await discord.run("/reload dice", as: BotHarness.admin)
            try await BotHarness.withRESTClient(discord) { rest in
                try await rest.createMessage(channel: discord.configuration.guilds[0].channelID,
                                             json: Array(#"{"content":"hello","embeds":[{"title":"t","description":"d"}]}"#.utf8))
                let id = try discord.sendCommand("/ping", as: BotHarness.player)
                _ = await discord.waitForAnswers(to: id)
                try await rest.createFollowUp(application: discord.configuration.applicationID,
                                              token: discord.interactionToken(id) ?? "",
                                              message: Array(#"{"content":"follow-up","flags":64}"#.utf8))
                try await rest.overwriteCommands(await harness.host.commandDefinitions(),
                                                 application: discord.configuration.applicationID, guild: nil)
            }
            return discord.requests.filter { !$0.body.isEmpty }
        }
        let routes = Set(requests.map { "\($0.method) \($0.route)" })
        #expect(routes.isSuperset(of: [
            "PUT /applications/{application_id}/commands", "PUT /applications/{application_id}/guilds/{guild_id}/commands",
            "POST /interactions/{interaction_id}/{interaction_token}/callback",
            "PATCH /webhooks/{application_id}/{interaction_token}/messages/@original",
            "POST /webhooks/{application_id}/{interaction_token}", "POST /channels/{channel_id}/messages",
        ]))
        try Self.expectValid(requests)
    }

    @Test("every Discord action a cog takes, through a real build against the simulator, is accepted and validates against the OpenAPI spec")
    func everyActionMatchesTheSpec() async throws {
        let player = BotHarness.player
        let requests = try await BotHarness.withBot(cogs: [("testcog_probe_v1", "probe")]) { harness in
            let discord = harness.discord
            discord.memberJoins(player)
            discord.memberJoins(BotHarness.admin)
            let role = discord.createRole("probe-target")
            let said = discord.say("hello from bob", as: player)
            let other = discord.say("a message to delete", as: BotHarness.admin)
            func act(_ options: String) async throws -> String {
                try await discord.run("/act action:\(options)", as: player).last?.content ?? "(no answer)"
            }
            let member = "member:\(player.id)"
            let steps = [
                "send role:\(role)", "edit", "react", "reply message:\(said)", "fetch message:\(said)", "recent",
                "pin message:\(said)", "unpin message:\(said)", "upload", "thread", "post_in_thread", "thread_member \(member)",
                "archive", "private_thread", "dm \(member)", "delete_own", "add_role \(member) role:\(role)",
                "remove_role \(member) role:\(role)", "nick \(member)", "timeout \(member)", "untimeout \(member)",
                "create_role", "edit_role", "delete_role", "follow_up", "edit_follow_up", "edit_original", "delete_follow_up",
                "delete message:\(other)", "purge", "kick \(member)", "ban \(member)", "unban \(member)",
            ]
            for step in steps {
                let answer = try await act(step)
                #expect(answer.hasPrefix("ok"), "/act \(step): \(answer)")
            }
            #expect(try await act("fetch message:\(said)") == "ok fetch hello from bob")
            let sent = discord.requests
            #expect(!sent.contains { $0.status >= 400 }, "\(sent.filter { $0.status >= 400 }.map { "\($0.method) \($0.route) \($0.status)" })")
            #expect(sent.first { $0.method == "DELETE" && $0.route == "/guilds/{guild_id}/members/{user_id}" }?.auditLogReason == "probe kick")
            #expect(sent.first { $0.method == "POST" && $0.files == ["probe.txt"] } != nil, "the upload was multipart with its file")
            return sent.filter { !$0.body.isEmpty }
        }
        let routes = Set(requests.map { "\($0.method) \($0.route)" })
        let expected: Set<String> = [
            "POST /channels/{channel_id}/messages", "PATCH /channels/{channel_id}/messages/{message_id}",
            "POST /channels/{channel_id}/messages/bulk-delete", "PATCH /guilds/{guild_id}/members/{user_id}",
            "PUT /guilds/{guild_id}/bans/{user_id}", "POST /guilds/{guild_id}/roles", "PATCH /guilds/{guild_id}/roles/{role_id}",
            "POST /channels/{channel_id}/messages/{message_id}/threads", "POST /channels/{channel_id}/threads", "PATCH /channels/{channel_id}",
            "POST /users/@me/channels", "POST /webhooks/{application_id}/{interaction_token}",
            "PATCH /webhooks/{application_id}/{interaction_token}/messages/{message_id}",
            "PATCH /webhooks/{application_id}/{interaction_token}/messages/@original",
        ]
        #expect(routes.isSuperset(of: expected), "missing: \(expected.subtracting(routes))")
        try Self.expectValid(requests)
    }

    /// Runs the recorded request bodies through Discord's OpenAPI spec (Tests/Interop/validate_openapi.py).
    static func expectValid(_ requests: [RecordedRequest]) throws {
        let documents: [[String: Any]] = try requests.map { request in
            ["method": request.method, "route": request.route,
             "body": try JSONSerialization.jsonObject(with: Data(request.body), options: [.fragmentsAllowed])]
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("requests-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: documents).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.interopDirectory.appendingPathComponent("validate_openapi.py").path,
                             Self.openAPISpec.path, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.components(separatedBy: "\n").filter { $0.hasPrefix("ok") }.count == requests.count, "\(output)")
    }
}
