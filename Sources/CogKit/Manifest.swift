internal import CogWire

/// Builds the manifest the host reads from the cog's descriptor: Discord application command
/// definitions plus the Cogwheel declarations (cooldowns, jobs, events) that the host keeps.
enum Manifest {
    static func document<C: Cog>(for cog: C.Type) -> [UInt8] {
        let commands = C.commands
        let cooldowns = commands.flatMap { $0.routes() }.compactMap { entry in
            entry.command.cooldown.map {
                ManifestDocument.Cooldown(route: entry.route, rate: $0.rate, per: $0.per, scope: $0.scope.rawValue)
            }
        }
        return ManifestDocument(
            commands: commands.map { command in
                var writer = JSONWriter()
                writeCommand(command, type: command.type, topLevel: true, to: &writer)
                return writer.bytes
            },
            cooldowns: cooldowns,
            jobs: C.jobs.map(\.declaration),
            events: C.listenedEvents,
            intents: C.intents.map(\.name),
            ownMessages: C.hearsOwnMessages,
            capabilities: C.capabilities.map(\.name)
        ).encoded()
    }

    /// Writes a command (type 1 at top level), a subcommand (option type 1) or a group (type 2).
    private static func writeCommand<C: Cog>(
        _ command: Command<C>, type: Int, topLevel: Bool, to writer: inout JSONWriter
    ) {
        writer.object { object in
            object.field("type", type)
            object.field("name", command.name)
            object.field("description", command.description)
            if topLevel, let permissions = command.defaultMemberPermissions {
                object.field("default_member_permissions", String(permissions.rawValue))
            }
            object.key("options")
            if command.subcommands.isEmpty {
                object.array(command.options) { writeOption($1, to: &$0) }
            } else {
                object.array(command.subcommands) { writer, child in
                    writeCommand(child, type: child.subcommands.isEmpty ? 1 : 2, topLevel: false, to: &writer)
                }
            }
        }
    }

    private static func writeOption(_ option: CommandOption, to writer: inout JSONWriter) {
        writer.object { object in
            object.field("type", option.kind.rawValue)
            object.field("name", option.name)
            object.field("description", option.description)
            object.field("required", option.required)
            if !option.choices.isEmpty {
                object.key("choices")
                object.array(option.choices) { $1.write(to: &$0) }
            }
            if let minValue = option.minValue { object.field("min_value", minValue) }
            if let maxValue = option.maxValue { object.field("max_value", maxValue) }
            if let minLength = option.minLength { object.field("min_length", minLength) }
            if let maxLength = option.maxLength { object.field("max_length", maxLength) }
            if option.autocomplete { object.field("autocomplete", true) }
        }
    }
}
