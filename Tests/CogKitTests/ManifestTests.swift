@testable import CogKit
import CogWire
import Foundation
import Testing

struct SampleCog: Cog {
    static let name = "sample"
    static let version = "0.1.0"
    static var commands: [Command<SampleCog>] {
        [
            Command("roll", "Roll dice", options: [
                .string("dice", "What to roll", required: true, maxLength: 64),
                .integer("times", "How often", choices: [Choice("Once", 1), Choice("Twice", 2)], min: 1, max: 2),
            ], cooldown: Cooldown(rate: 2, per: 5, scope: .member)) { _, _ in .message("ok") },
            Command("config", "Settings", defaultMemberPermissions: .manageGuild, subcommands: [
                Command("show", "Show") { _, _ in .message("shown", ephemeral: true) },
                Command("set", "Set things", subcommands: [
                    Command("colour", "Set the colour", options: [.string("value", "A colour", required: true)]) { _, _ in .message("set") },
                ]),
            ]),
        ]
    }
    init(setup: CogSetup) {}
}

@Suite("CogKit: manifests and response documents")
struct ManifestTests {
    @Test("the manifest carries Discord's command shape, generated from the declarations")
    func manifest() throws {
        let json = try JSONSerialization.jsonObject(with: Data(Manifest.document(for: SampleCog.self))) as! [String: Any]
        let commands = json["commands"] as! [[String: Any]]
        #expect(commands.map { $0["name"] as! String } == ["roll", "config"])
        let roll = commands[0]
        let options = roll["options"] as! [[String: Any]]
        #expect(options[0]["type"] as? Int == 3 && options[0]["required"] as? Bool == true && options[0]["max_length"] as? Int == 64)
        #expect((options[1]["choices"] as! [[String: Any]]).map { $0["value"] as! Int } == [1, 2])
        #expect(options[1]["min_value"] as? Int == 1)
        let config = commands[1]
        #expect(config["default_member_permissions"] as? String == "32")
        let children = config["options"] as! [[String: Any]]
        #expect(children.map { $0["type"] as! Int } == [1, 2])
        let cooldowns = json["cooldowns"] as! [[String: Any]]
        #expect(cooldowns.count == 1 && cooldowns[0]["route"] as? String == "roll" && cooldowns[0]["scope"] as? String == "member")
    }

    @Test("routes include subcommand paths")
    func routes() {
        let routes = SampleCog.commands.flatMap { $0.routes() }.map(\.route)
        #expect(routes == ["roll", "config show", "config set colour"])
    }

    @Test("replies become message documents with flags for ephemeral and escaped text")
    func replyDocument() throws {
        let document = try Reply.message("line \"one\"\nline\ttwo \u{1}", ephemeral: true).responseDocument(cog: "probe").encoded()
        let json = try JSONSerialization.jsonObject(with: Data(document)) as! [String: Any]
        #expect(json["kind"] as? String == "message")
        let data = json["data"] as! [String: Any]
        #expect(data["content"] as? String == "line \"one\"\nline\ttwo \u{1}")
        #expect(data["flags"] as? Int == 64)
    }

    @Test("embeds are written in Discord's shape")
    func embedDocument() throws {
        let embed = Embed(title: "Rank", description: "Level 4", colour: 0x5865F2,
                          fields: [.init(name: "XP", value: "1,200", inline: true)], footer: "now")
        let json = try JSONSerialization.jsonObject(with: Data(try Reply.embed(embed).responseDocument(cog: "probe").encoded())) as! [String: Any]
        let written = ((json["data"] as! [String: Any])["embeds"] as! [[String: Any]])[0]
        #expect(written["title"] as? String == "Rank" && written["color"] as? Int == 0x5865F2)
        #expect((written["footer"] as! [String: Any])["text"] as? String == "now")
        #expect(((written["fields"] as! [[String: Any]])[0])["inline"] as? Bool == true)
    }

    @Test("thrown errors become error documents: CommandError text for the player, others for the log")
    func errorDocuments() throws {
        let fixable = try JSONSerialization.jsonObject(with: Data(ResponseDocument.forThrown(CommandError("Use fewer dice."), route: "roll").encoded())) as! [String: Any]
        #expect(fixable["kind"] as? String == "error" && fixable["message"] as? String == "Use fewer dice.")
        struct Boom: Error {}
        let unexpected = try JSONSerialization.jsonObject(with: Data(ResponseDocument.forThrown(Boom(), route: "roll").encoded())) as! [String: Any]
        #expect(unexpected["message"] == nil)
        #expect((unexpected["detail"] as? String)?.contains("Boom") == true)
    }
}
