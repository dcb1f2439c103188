import CogWire
import DiscordModels

/// Checks a cog's manifest against Discord's rules for application commands, so a bad
/// definition is refused at load time with the offending field named, instead of failing the
/// whole command sync later.
public enum ManifestValidator {
    /// Discord's limits (see discord/docs/application-commands.mdx).
    enum Limits {
        static let commands = 100
        static let nameLength = 1...32
        static let descriptionLength = 1...100
        static let options = 25
        static let choices = 25
        static let choiceNameLength = 1...100
        static let choiceStringValueLength = 0...100
        static let stringOptionLength = 0...6000
    }

    static let valueOptionTypes: Set<Int> = [3, 4, 5, 6, 7, 8, 9, 10, 11]
    static let choiceOptionTypes: Set<Int> = [3, 4, 10]
    static let cooldownScopes: Set<String> = ["user", "member", "channel", "guild", "global"]

    /// Throws the first problem found.
    public static func validate(_ manifest: CogManifest) throws(ManifestProblem) {
        guard manifest.commands.count <= Limits.commands else {
            throw ManifestProblem(field: "commands", problem: "has \(manifest.commands.count) entries; Discord allows \(Limits.commands)")
        }
        var seen: Set<String> = []
        for (index, command) in manifest.commands.enumerated() {
            let field = "commands[\(index)]"
            let type = command.type ?? 1
            guard (1...3).contains(type) else {
                throw ManifestProblem(field: "\(field).type", problem: "is \(type); expected 1 (slash), 2 (user) or 3 (message)")
            }
            if type == 1 {
                try checkName(command.name, field: "\(field).name")
                try checkDescription(command.description, field: "\(field).description")
                try checkOptions(command.options ?? [], field: "\(field).options", depth: 0)
            } else {
                guard Limits.nameLength.contains(command.name.count) else {
                    throw ManifestProblem(field: "\(field).name", problem: "must be 1–32 characters")
                }
                guard (command.options ?? []).isEmpty else {
                    throw ManifestProblem(field: "\(field).options", problem: "a user or message command takes no options")
                }
            }
            let key = "\(type):\(command.name)"
            guard seen.insert(key).inserted else {
                throw ManifestProblem(field: "\(field).name", problem: "'\(command.name)' is declared twice")
            }
        }
        try checkCooldowns(manifest)
        _ = try manifest.jobDefinitions()
        try checkEvents(manifest)
        try checkCapabilities(manifest)
    }

    /// Every capability is one Cogwheel knows, declared once.
    private static func checkCapabilities(_ manifest: CogManifest) throws(ManifestProblem) {
        var seen: Set<String> = []
        for (index, capability) in manifest.capabilities.enumerated() {
            guard CogCapability(rawValue: capability) != nil else {
                throw ManifestProblem(field: "capabilities[\(index)]", problem: "'\(capability)' is not a capability (known: \(CogCapability.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard seen.insert(capability).inserted else {
                throw ManifestProblem(field: "capabilities[\(index)]", problem: "'\(capability)' is declared twice")
            }
        }
    }

    /// Every event is a dispatch Discord documents, and every extra intent one it names.
    private static func checkEvents(_ manifest: CogManifest) throws(ManifestProblem) {
        var seen: Set<String> = []
        for (index, event) in manifest.events.enumerated() {
            guard GatewayEventName(event).intents != nil else {
                throw ManifestProblem(field: "events[\(index)]", problem: "'\(event)' is not a gateway event Discord documents (names look like MESSAGE_CREATE)")
            }
            guard event != GatewayEventName.interactionCreate.rawValue else {
                throw ManifestProblem(field: "events[\(index)]", problem: "INTERACTION_CREATE reaches the cog as commands, components and modals, not as an event")
            }
            guard seen.insert(event).inserted else {
                throw ManifestProblem(field: "events[\(index)]", problem: "'\(event)' is declared twice")
            }
        }
        for (index, intent) in manifest.intents.enumerated() where GatewayIntents.names[intent.lowercased()] == nil {
            throw ManifestProblem(field: "intents[\(index)]", problem: "'\(intent)' is not a gateway intent (known: \(GatewayIntents.names.keys.map { $0.uppercased() }.sorted().joined(separator: ", ")))")
        }
    }

    private static func checkName(_ name: String, field: String) throws(ManifestProblem) {
        guard Limits.nameLength.contains(name.count) else {
            throw ManifestProblem(field: field, problem: "'\(name)' must be 1–32 characters long")
        }
        for character in name {
            let allowed = character == "-" || character == "_" || character.isLetter || character.isNumber
            guard allowed else {
                throw ManifestProblem(field: field, problem: "'\(name)' may only contain letters, digits, '-' and '_'")
            }
            guard character.lowercased() == String(character) else {
                throw ManifestProblem(field: field, problem: "'\(name)' must be lowercase")
            }
        }
    }

    private static func checkDescription(_ description: String, field: String) throws(ManifestProblem) {
        guard Limits.descriptionLength.contains(description.count) else {
            throw ManifestProblem(field: field, problem: "must be 1–100 characters (has \(description.count))")
        }
    }

    /// Options of a command (depth 0), of a group (depth 1) or of a subcommand.
    private static func checkOptions(
        _ options: [ApplicationCommandOption], field: String, depth: Int
    ) throws(ManifestProblem) {
        guard options.count <= Limits.options else {
            throw ManifestProblem(field: field, problem: "has \(options.count) entries; Discord allows \(Limits.options)")
        }
        let nesting = options.filter { $0.isSubcommand || $0.isSubcommandGroup }
        guard nesting.isEmpty || nesting.count == options.count else {
            throw ManifestProblem(field: field, problem: "mixes subcommands with plain options")
        }
        var names: Set<String> = []
        var sawOptional = false
        for (index, option) in options.enumerated() {
            let optionField = "\(field)[\(index)]"
            try checkName(option.name, field: "\(optionField).name")
            try checkDescription(option.description, field: "\(optionField).description")
            guard names.insert(option.name).inserted else {
                throw ManifestProblem(field: "\(optionField).name", problem: "'\(option.name)' is used twice")
            }
            if option.isSubcommandGroup {
                guard depth == 0 else {
                    throw ManifestProblem(field: "\(optionField).type", problem: "a subcommand group can only sit at the top level")
                }
                let children = option.options ?? []
                guard children.allSatisfy(\.isSubcommand), !children.isEmpty else {
                    throw ManifestProblem(field: "\(optionField).options", problem: "a group must contain only subcommands")
                }
                try checkOptions(children, field: "\(optionField).options", depth: 1)
            } else if option.isSubcommand {
                try checkOptions(option.options ?? [], field: "\(optionField).options", depth: 2)
                guard (option.options ?? []).allSatisfy({ !$0.isSubcommand && !$0.isSubcommandGroup }) else {
                    throw ManifestProblem(field: "\(optionField).options", problem: "a subcommand cannot contain subcommands")
                }
            } else {
                guard valueOptionTypes.contains(option.type) else {
                    throw ManifestProblem(field: "\(optionField).type", problem: "\(option.type) is not an option type")
                }
                let required = option.required ?? false
                if required && sawOptional {
                    throw ManifestProblem(field: "\(optionField).required", problem: "required option '\(option.name)' comes after an optional one; list required options first")
                }
                sawOptional = sawOptional || !required
                try checkValueConstraints(option, field: optionField)
            }
        }
    }

    private static func checkValueConstraints(_ option: ApplicationCommandOption, field: String) throws(ManifestProblem) {
        let choices = option.choices ?? []
        if !choices.isEmpty {
            guard choiceOptionTypes.contains(option.type) else {
                throw ManifestProblem(field: "\(field).choices", problem: "only string, integer and number options take choices")
            }
            guard choices.count <= Limits.choices else {
                throw ManifestProblem(field: "\(field).choices", problem: "has \(choices.count) entries; Discord allows \(Limits.choices)")
            }
            for (index, choice) in choices.enumerated() {
                guard Limits.choiceNameLength.contains(choice.name.count) else {
                    throw ManifestProblem(field: "\(field).choices[\(index)].name", problem: "must be 1–100 characters")
                }
                switch (option.type, choice.value) {
                case (3, .string(let value)):
                    guard Limits.choiceStringValueLength.contains(value.count) else {
                        throw ManifestProblem(field: "\(field).choices[\(index)].value", problem: "must be at most 100 characters")
                    }
                case (4, .integer), (10, .integer), (10, .number):
                    break
                default:
                    throw ManifestProblem(field: "\(field).choices[\(index)].value", problem: "does not match the option's type \(option.type)")
                }
            }
        }
        if let minimum = option.minValue, let maximum = option.maxValue, minimum > maximum {
            throw ManifestProblem(field: "\(field).min_value", problem: "\(minimum) is larger than max_value \(maximum)")
        }
        if let minimum = option.minLength, !Limits.stringOptionLength.contains(minimum) {
            throw ManifestProblem(field: "\(field).min_length", problem: "must be 0–6000")
        }
        if let maximum = option.maxLength, !(1...6000).contains(maximum) {
            throw ManifestProblem(field: "\(field).max_length", problem: "must be 1–6000")
        }
        if let minimum = option.minLength, let maximum = option.maxLength, minimum > maximum {
            throw ManifestProblem(field: "\(field).min_length", problem: "\(minimum) is larger than max_length \(maximum)")
        }
    }

    private static func checkCooldowns(_ manifest: CogManifest) throws(ManifestProblem) {
        let routes = Set(manifest.commands.flatMap(CommandRoutes.leafRoutes(of:)))
        for (index, cooldown) in manifest.cooldowns.enumerated() {
            let field = "cooldowns[\(index)]"
            guard routes.contains(cooldown.route) else {
                throw ManifestProblem(field: "\(field).route", problem: "'\(cooldown.route)' is not a command of this cog")
            }
            guard cooldown.rate >= 1 else { throw ManifestProblem(field: "\(field).rate", problem: "must be at least 1") }
            guard cooldown.per > 0 else { throw ManifestProblem(field: "\(field).per", problem: "must be more than 0 seconds") }
            guard cooldownScopes.contains(cooldown.scope) else {
                throw ManifestProblem(field: "\(field).scope", problem: "'\(cooldown.scope)' is not one of user, member, channel, guild, global")
            }
        }
    }
}

/// The routes ("config set") a command definition offers.
enum CommandRoutes {
    static func leafRoutes(of command: ApplicationCommand) -> [String] {
        let options = command.options ?? []
        let nested = options.filter { $0.isSubcommand || $0.isSubcommandGroup }
        guard !nested.isEmpty else { return [command.name] }
        return nested.flatMap { option -> [String] in
            if option.isSubcommand { return ["\(command.name) \(option.name)"] }
            return (option.options ?? []).map { "\(command.name) \(option.name) \($0.name)" }
        }
    }
}
