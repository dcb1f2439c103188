/// Builds the command manifest the host reads from the cog's descriptor: Discord application
/// command definitions plus the Cogwheel-specific declarations (cooldowns) that the host keeps.
enum Manifest {
    static func document<C: Cog>(for cog: C.Type) -> [UInt8] {
        let commands = C.commands
        var writer = JSONWriter()
        writer.object { manifest in
            manifest.key("commands")
            manifest.array(commands) { writer, command in
                writeCommand(command, type: command.type, topLevel: true, to: &writer)
            }
            manifest.key("jobs")
            manifest.array(C.jobs) { $1.write(to: &$0) }
            manifest.key("cooldowns")
            let cooldowns = commands.flatMap { $0.routes() }.compactMap { entry in
                entry.command.cooldown.map { (entry.route, $0) }
            }
            manifest.array(cooldowns) { writer, entry in
                writer.object {
                    $0.field("route", entry.0)
                    $0.field("rate", entry.1.rate)
                    $0.field("per", entry.1.per)
                    $0.field("scope", entry.1.scope.rawValue)
                }
            }
        }
        return writer.bytes
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
