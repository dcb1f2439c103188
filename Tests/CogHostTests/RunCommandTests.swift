import CogwheelTestSupport
import DiscordModels
import Foundation
import Testing

@Suite("cogwheel run serves a stream of gateway frames")
struct RunCommandTests {
    @Test("each INTERACTION_CREATE line gets one JSON line of answers")
    func servesFrames() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-run-\(UUID().uuidString)")
        try BuiltCogs.install("ping", as: "ping", in: directory.appendingPathComponent("cogs"))
        var factory = InteractionFactory(applicationID: 1)
        let ping = ApplicationCommand(name: "ping", description: "Check that the bot answers")
        let interaction = try factory.command(line: "/ping", definitions: [ping], as: .init(id: 7, username: "p"),
                                              guildID: 1, channelID: 2)
        let frame = #"{"op":0,"s":1,"t":"INTERACTION_CREATE","d":"# + String(decoding: interaction, as: UTF8.self) + "}"
        let run = try CogwheelProcess.run(["run", "--events", "-", "--data-dir", directory.path, "--log-level", "critical"],
                                          input: frame + "\n" + frame + "\n")
        #expect(run.status == 0)
        let lines = run.output.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains(#"{"callback":{"type":4,"data":{"content":"Pong!"#) == true)
        #expect(lines.last?.contains("ping #2") == true)
    }
}

@Suite("cogwheel check-config")
struct CheckConfigTests {
    @Test("lists every problem by variable name, exits 78, and never prints the token")
    func reportsProblems() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-config-\(UUID().uuidString)")
        let bad = try CogwheelProcess.run(["check-config", "--data-dir", directory.path, "--env-file", "/nonexistent"], input: "",
                                          environment: ["DISCORD_TOKEN": "", "DISCORD_INTENTS": "guilds,nope", "GUILD_ID": "x"])
        #expect(bad.status == 78)
        for name in ["DISCORD_TOKEN", "DISCORD_INTENTS", "GUILD_ID"] { #expect(bad.output.contains(name), "\(bad.output)") }

        let secret = "check.config.secret-token"
        let good = try CogwheelProcess.run(["check-config", "--data-dir", directory.path, "--env-file", "/nonexistent"], input: "",
                                           environment: ["DISCORD_TOKEN": secret, "GUILD_ID": "42"])
        #expect(good.status == 0, "\(good.output)")
        #expect(good.output.contains("configuration ok") && good.output.contains("guild 42"))
        #expect(!good.output.contains(secret))
    }

    @Test("a token pasted into the wrong variable is described, never printed")
    func secretsAreNotEchoed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-config-\(UUID().uuidString)")
        let token = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.GhJkLm.abcdefghijklmnopqrstuvwxyz0123456789AB"
        let webhook = "https://discord.com/api/webhooks/1300000000000000001/s3cr3t-webhook-token-value"
        let run = try CogwheelProcess.run(["check-config", "--data-dir", directory.path, "--env-file", "/nonexistent"], input: "",
                                          environment: ["DISCORD_TOKEN": "x.y.z", "DISCORD_SHARD_COUNT": token,
                                                        "COGWHEEL_LOG_LEVEL": webhook, "DISCORD_STATUS": "sleepy"])
        #expect(run.status == 78)
        #expect(run.output.contains("DISCORD_SHARD_COUNT must be a positive number, not a value that looks like a secret"), "\(run.output)")
        #expect(!run.output.contains(token) && !run.output.contains("s3cr3t"), "\(run.output)")
        #expect(run.output.contains("not 'sleepy'"), "ordinary values are still shown")
    }

    @Test("a .env saved with CRLF line ends is read line by line")
    func crlfDotEnv() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(".env")
        try Data("DISCORD_TOKEN=crlf.token.value\r\nCOGWHEEL_ADMIN_IDS=4242\r\nGUILD_ID=77\r\n".utf8).write(to: file)
        let run = try CogwheelProcess.run(["check-config", "--data-dir", directory.path, "--env-file", file.path], input: "",
                                          environment: [:])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("COGWHEEL_ADMIN_IDS 4242") && run.output.contains("guild 77"), "\(run.output)")
    }

    @Test("the committed .env.example is a valid configuration once a token is set")
    func envExample() throws {
        let example = BuiltCogs.packageRoot.appendingPathComponent(".env.example").path
        let run = try CogwheelProcess.run(["check-config", "--env-file", example], input: "",
                                          environment: ["DISCORD_TOKEN": "example.token.value", "COGWHEEL_DATA_DIR": ""])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("configuration ok"))
    }

    @Test("a JSON config file supplies settings, the environment wins over it, and a typo is named with a suggestion")
    func configFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Every variable .env.example documents is accepted in the config file.
        let example = try String(contentsOf: BuiltCogs.packageRoot.appendingPathComponent(".env.example"), encoding: .utf8)
        var documented: [String: Any] = [:]
        for line in example.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { documented[parts[0]] = parts[1] }
        }
        documented["DISCORD_TOKEN"] = "config.file.token"
        documented["COGWHEEL_DATA_DIR"] = directory.appendingPathComponent("from-file").path
        documented["COGWHEEL_AUTOLOAD"] = ["dice", "xp"]
        documented["COGWHEEL_HEARTBEAT_SECONDS"] = 15
        let config = directory.appendingPathComponent("cogwheel.json")
        try JSONSerialization.data(withJSONObject: documented).write(to: config)
        let fromFile = try CogwheelProcess.run(["check-config", "--env-file", "/nonexistent", "--config", config.path], input: "",
                                               environment: ["DISCORD_TOKEN": "", "COGWHEEL_DATA_DIR": "", "COGWHEEL_OPS_ADDRESS": "127.0.0.1:9999"])
        #expect(fromFile.status == 0, "\(fromFile.output)")
        #expect(fromFile.output.contains("from-file"), "the file's data directory is used")
        #expect(fromFile.output.contains("127.0.0.1:9999"), "the environment wins over the file")
        #expect(!fromFile.output.contains("config.file.token"))

        try Data(#"{"COGWHEEL_LOG_LEVL": "debug", "DISCORD_TOKEN": "x.y.z"}"#.utf8).write(to: config)
        let typo = try CogwheelProcess.run(["check-config", "--env-file", "/nonexistent"], input: "",
                                           environment: ["COGWHEEL_CONFIG": config.path])
        #expect(typo.status == 78)
        #expect(typo.output.contains("COGWHEEL_LOG_LEVL is not a setting (did you mean COGWHEEL_LOG_LEVEL?)"), "\(typo.output)")
        #expect(!typo.output.contains("x.y.z"))
    }
}
