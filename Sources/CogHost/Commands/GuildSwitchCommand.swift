import DiscordModels
import Storage

/// `/cog disable NAME`, `/cog enable NAME` and `/cog list`: an admin turns a cog (`xp`) or one
/// command (`/roll`) off or on in the guild where they type it. The router then answers players
/// there with a short ephemeral notice instead of running the cog.
struct GuildSwitchCommand: Sendable {
    let supervisor: CogSupervisor
    let switchboard: GuildSwitchboard

    static let definition: ApplicationCommand = {
        func subcommand(_ name: String, _ description: String, takesName: Bool) -> ApplicationCommandOption {
            var option = ApplicationCommandOption(type: 1, name: name, description: description)
            if takesName {
                option.options = [ApplicationCommandOption(type: 3, name: "name", description: "A cog (xp) or a command (/roll)",
                                                           required: true)]
            }
            return option
        }
        return ApplicationCommand(
            name: "cog", description: "Turn a cog or a command off or on in this server",
            options: [
                subcommand("disable", "Turn a cog or a command off in this server", takesName: true),
                subcommand("enable", "Turn a cog or a command back on in this server", takesName: true),
                subcommand("list", "What is turned off in this server", takesName: false),
            ],
            defaultMemberPermissions: String(HostCommands.administratorPermission)
        )
    }()

    /// Runs `/cog <subcommand>`; the answer starts with ✅ when something changed or was listed.
    func run(subcommand: String, name: String?, guild: UInt64?, user: UInt64) async -> String {
        guard let guild else { return "❌ Use /cog in a server: cogs and commands are turned off per server." }
        if subcommand == "list" {
            let off = switchboard.disabled(in: guild)
            return off.isEmpty ? "✅ Nothing is turned off in this server."
                : "✅ Turned off in this server: " + off.map { "`\($0)`" }.joined(separator: ", ")
        }
        guard let name, let target = GuildSwitchboard.Switch(parsing: name) else {
            return "❌ Name a cog (like `xp`) or a command (like `/roll`)."
        }
        if let problem = await unknown(target) { return "❌ \(problem)" }
        do {
            if subcommand == "disable" {
                return try switchboard.disable(target, in: guild, by: user)
                    ? "✅ Turned `\(target)` off in this server." : "✅ `\(target)` was already off in this server."
            }
            return try switchboard.enable(target, in: guild)
                ? "✅ Turned `\(target)` back on in this server." : "✅ `\(target)` was not off in this server."
        } catch {
            return "❌ Could not save the change: \(error)"
        }
    }

    /// Why `target` cannot be switched, or `nil` when it names a known cog or cog command.
    private func unknown(_ target: GuildSwitchboard.Switch) async -> String? {
        switch target {
        case .cog(let name):
            let known = await supervisor.statuses().map(\.name)
            return known.contains(name) ? nil : "There is no cog named `\(name)` (known: \(known.joined(separator: ", ")))."
        case .command(let name):
            if HostCommands.names.contains(name) { return "The host's own commands cannot be turned off." }
            let known = await supervisor.servingCommands().map(\.name)
            return known.contains(name) ? nil : "No cog serves `/\(name)`."
        }
    }
}
