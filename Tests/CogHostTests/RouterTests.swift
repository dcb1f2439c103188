import CogHost
import CogwheelTestSupport
import DiscordModels
import Foundation
import Testing

@Suite("Routing interactions to cogs", .serialized)
struct RouterTests {
    @Test("typed options, the invoking user and the guild reach the handler")
    func typedOptions() async throws {
        var test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        let answer = try await test.reply("/echo text:hi times:2 loud:true who:123456789 ratio:0.5")
        #expect(answer?.content == "HI HI to user6789 ratio 0.5 from player in 100")
        #expect(answer?.isEphemeral == false)
        await test.stop()
    }

    @Test("subcommands route by their full path")
    func subcommands() async throws {
        var test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        let answer = try await test.reply("/config show")
        #expect(answer?.embeds?.first?.title == "Settings")
        await test.stop()
    }

    @Test("an unknown command gets an ephemeral 'not available', never silence")
    func unknownCommand() async throws {
        let test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        let fixture = try Fixtures.interaction("docs_example_interaction_slash.json")
        let answers = await test.source.deliver(frame: fixture)
        #expect(answers.count == 1)
        #expect(answers.first?.message?.isEphemeral == true)
        #expect(answers.first?.message?.content?.contains("not available right now") == true)
        await test.stop()
    }

    @Test("a handler's CommandError is shown to the player; other errors become an apology")
    func handlerErrors() async throws {
        var test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        let fixable = try await test.reply("/oops")
        #expect(fixable?.content == "That didn't work: try a smaller number.")
        #expect(fixable?.isEphemeral == true)
        let unexpected = try await test.reply("/fail")
        #expect(unexpected?.content?.hasPrefix("Sorry, something went wrong") == true)
        #expect(unexpected?.isEphemeral == true)
        await test.stop()
    }

    @Test("a cog that defers gets a deferred response, then its answer as an edit")
    func explicitDefer() async throws {
        var test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        let answers = try await test.run("/thinking")
        #expect(answers.count == 2)
        #expect(answers.first?.callbackType == .deferredChannelMessageWithSource)
        guard case .edit = answers.last else {
            Issue.record("expected an edit of the original response, got \(answers)")
            return
        }
        #expect(answers.last?.message?.content == "thought it over")
        await test.stop()
    }

    @Test("admin commands are refused to players and work for admins")
    func adminCommands() async throws {
        var test = try await TestHost.start(installing: [("testcog_probe_v1", "probe"), ("ping", "ping")])
        let refused = try await test.reply("/unload probe")
        #expect(refused?.content?.hasPrefix("⛔ /unload is for the bot's operators") == true)
        #expect(try await test.reply("/probe")?.content == "probe 1.0.0 call 1")

        let cogs = try await test.reply("/cogs", as: TestHost.admin)
        #expect(cogs?.isEphemeral == true)
        #expect(cogs?.text.contains("probe: v1.0.0, generation 1") == true)
        #expect(cogs?.text.contains("ping: v1.0.0, generation 1") == true)

        let unloaded = try await test.reply("/unload probe", as: TestHost.admin)
        #expect(unloaded?.content?.contains("Unloaded **probe**") == true)
        await test.stop()
    }

    @Test("a forged autocomplete for a host command runs nothing, and the command itself still works")
    func forgedHostAutocomplete() async throws {
        var test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        var factory = InteractionFactory(applicationID: 1, firstInteractionID: 900)
        let unload = try SlashCommandLine.parse("/unload probe", definitions: await test.host.commandDefinitions())
        // No host command declares autocomplete, so only a forged request asks; before, an
        // operator's forged one unloaded the cog.
        let forged = factory.command(unload, as: TestHost.admin, guildID: 100, channelID: 200, focused: "cog")
        #expect(await test.source.deliver(frame: forged) == [.initial(.suggestions(Array("[]".utf8)))])
        #expect(try await test.reply("/probe")?.content == "probe 1.0.0 call 1")
        #expect(try await test.reply("/unload probe", as: TestHost.admin)?.content?.contains("Unloaded **probe**") == true)
        await test.stop()
    }

    @Test("Discord's PING is answered with a pong")
    func ping() async throws {
        let test = try await TestHost.start()
        let answers = await test.source.deliver(frame: Array(#"{"id":"5","type":1,"token":"t","application_id":"1"}"#.utf8))
        #expect(answers == [.initial(.pong)])
        await test.stop()
    }

    @Test("a malformed payload is dropped without an answer or a crash")
    func malformed() async throws {
        let test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        let outcome = await test.host.router.handle(interaction: Array(#"{"id":"5","type":2,"data":{"name":"#.utf8),
                                                    responder: test.source)
        guard case .malformed = outcome else {
            Issue.record("expected .malformed, got \(outcome)")
            return
        }
        await test.stop()
    }

    @Test("real captured interactions are routed by their command name", arguments: [
        "interaction_create_slash__d4j.json", "interaction_create_subcommand_group__d4j.json",
    ])
    func capturedInteractions(fixture: String) async throws {
        let test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        let answers = await test.source.deliver(frame: try Fixtures.bytes(fixture))
        // No bundled cog owns these commands: the player is told, not ignored.
        #expect(answers.first?.message?.content?.contains("not available right now") == true)
        await test.stop()
    }
}

/// Reads the shared fixtures (never copied into the project).
enum Fixtures {
    static let directory = BuiltCogs.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// A docs example holding only the interaction object.
    static func interaction(_ name: String) throws -> [UInt8] {
        try bytes(name)
    }
}
