import DiscordModels
import Storage

/// `/cog disable NAME`, `/cog enable NAME` and `/cog list`: a guild manager turns a cog (`xp`)
/// or one command (`/roll`) off or on in the guild where they type it. The router then answers players
/// there with a short ephemeral notice instead of running the cog.
struct GuildSwitchCommand: Sendable {
    let supervisor: CogSupervisor
    let switchboard: GuildSwitchboard

    static let subcommands: [HostCommand.Subcommand] = {
        let name = HostCommandOption.string("name", "A cog (xp) or a command (/roll)")
        return [
            .init(name: "disable", description: "Turn a cog or a command off in this server", options: [name]),
            .init(name: "enable", description: "Turn a cog or a command back on in this server", options: [name]),
            .init(name: "list", description: "What is turned off in this server", options: []),
        ]
    }()

    /// Runs `/cog <subcommand>` in the caller's guild.
    func run(_ invocation: HostCommandInvocation) async -> HostReply {
        guard let guild = invocation.caller.guildID else {
            return .info("❌ Use /cog in a server: cogs and commands are turned off per server.")
        }
        if invocation.subcommand == "list" {
            let off = switchboard.disabled(in: guild)
            return .info(off.isEmpty ? "✅ Nothing is turned off in this server."
                : "✅ Turned off in this server: " + off.map { "`\($0)`" }.joined(separator: ", "))
        }
        guard let name = invocation.string("name"), let target = GuildSwitchboard.Switch(parsing: name) else {
            return .failed("Name a cog (like `xp`) or a command (like `/roll`).")
        }
        if let problem = await unknown(target) { return .failed(problem) }
        do {
            if invocation.subcommand == "disable" {
                return try switchboard.disable(target, in: guild, by: invocation.caller.userID)
                    ? .done("Turned `\(target)` off in this server.") : .done("`\(target)` was already off in this server.")
            }
            return try switchboard.enable(target, in: guild)
                ? .done("Turned `\(target)` back on in this server.") : .done("`\(target)` was not off in this server.")
        } catch {
            return .failed("Could not save the change: \(error)")
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
