@testable import CogHost
import DiscordModels
import Testing

@Suite("Manifest validation against Discord's command rules")
struct ManifestValidatorTests {
    private static func option(_ name: String, required: Bool = false, type: Int = 3) -> ApplicationCommandOption {
        ApplicationCommandOption(type: type, name: name, description: "An option", required: required)
    }

    private static func command(name: String = "roll", description: String = "Roll dice",
                                options: [ApplicationCommandOption] = []) -> ApplicationCommand {
        ApplicationCommand(name: name, description: description, options: options)
    }

    @Test("a valid manifest passes")
    func valid() throws {
        try ManifestValidator.validate(CogManifest(commands: [Self.command(options: [Self.option("dice", required: true), Self.option("note")])]))
    }

    @Test("each broken rule is refused, naming the field", arguments: [
        (command(name: ""), "commands[0].name"),
        (command(name: String(repeating: "a", count: 33)), "commands[0].name"),
        (command(name: "Roll"), "commands[0].name 'Roll' must be lowercase"),
        (command(name: "roll dice"), "commands[0].name 'roll dice' may only contain"),
        (command(description: ""), "commands[0].description must be 1–100"),
        (command(description: String(repeating: "x", count: 101)), "commands[0].description"),
        (command(options: (0..<26).map { option("o\($0)") }), "commands[0].options has 26 entries"),
        (command(options: [option("a"), option("a")]), "commands[0].options[1].name 'a' is used twice"),
        (command(options: [option("optional"), option("needed", required: true)]), "commands[0].options[1].required"),
        (command(options: [option("x", type: 42)]), "commands[0].options[0].type"),
        // Found by the manifest fuzzer: a user command carrying an empty subcommand group had no route at all.
        (ApplicationCommand(type: 2, name: "roll", description: "", options: [option("dice", type: 2)]),
         "commands[0].options a user or message command takes no options"),
    ])
    func refused(command: ApplicationCommand, expected: String) {
        #expect {
            try ManifestValidator.validate(CogManifest(commands: [command]))
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test("more than 25 choices are refused")
    func tooManyChoices() {
        var choice = Self.option("pick")
        choice.choices = (0..<26).map { ApplicationCommandChoice(name: "c\($0)", value: .string("\($0)")) }
        #expect(throws: ManifestProblem.self) {
            try ManifestValidator.validate(CogManifest(commands: [Self.command(options: [choice])]))
        }
    }

    @Test("duplicate command names are refused")
    func duplicateCommands() {
        #expect(throws: ManifestProblem(field: "commands[1].name", problem: "'roll' is declared twice")) {
            try ManifestValidator.validate(CogManifest(commands: [Self.command(), Self.command()]))
        }
    }

    @Test("a cooldown on a route the cog does not have is refused")
    func cooldownRoute() {
        let manifest = CogManifest(commands: [Self.command()], cooldowns: [.init(route: "flip", rate: 1, per: 5, scope: "user")])
        #expect(throws: ManifestProblem.self) { try ManifestValidator.validate(manifest) }
    }
}

@Suite("Cog names")
struct CogNameTests {
    @Test("a cog name may not contain __, so no cog's table prefix is another's")
    func noDoubleUnderscore() {
        #expect(CogName.isValid("a") && CogName.isValid("my_cog") && CogName.isValid("x-1"))
        #expect(!CogName.isValid("a__b"), "cog a would own a__b's tables")
        #expect(!CogName.isValid("__a") && !CogName.isValid("Dice") && !CogName.isValid(""))
    }
}
