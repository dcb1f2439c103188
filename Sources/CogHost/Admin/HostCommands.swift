import CCogABI
import DiscordModels
import Foundation
import Logging
import Storage

/// The host's own slash commands, declared as ``HostCommand``s.
///
/// - For operators (``BotOperators``), bot-wide: `/reload`, `/load`, `/unload`, `/cogs`,
///   `/sync`, `/backup`, `/jobs`, `/health`.
/// - For guild managers (Manage Server) and operators, that guild only: `/cog` (per-guild
///   switches) and `/audit` (an operator's reaches every guild).
///
/// The built-in cog: the routing table serves these names with it, as it serves a cog's
/// commands with the cog's generation. Every change, and every refused attempt, goes to the
/// audit log with its guild.
final class HostCommands: InteractionServer {
    private let operators: BotOperators
    private let logger: Logger
    private let tools: HostCommandTools

    init(
        supervisor: CogSupervisor, operators: BotOperators, audit: AdminAuditLog, health: HealthProbe,
        switchboard: GuildSwitchboard, alerts: HostAlerts, jobs: JobScheduler, logger: Logger,
        backup: @escaping @Sendable () throws -> DatabaseBackup.Made
    ) {
        self.operators = operators
        self.logger = logger
        tools = HostCommandTools(
            actions: HostActions(supervisor: supervisor, alerts: alerts, logger: logger, backup: backup),
            guildSwitches: GuildSwitchCommand(supervisor: supervisor, switchboard: switchboard),
            audit: audit, health: health, jobs: jobs
        )
    }

    static let all: [HostCommand] = {
        let cog = HostCommandOption.string("cog", "The cog's name")
        return [
            HostCommand("reload", "Load a new build of a cog without dropping the connection", role: .operator,
                        options: [cog], audits: "cog") { await $1.actions.reload($0.cogName) },
            HostCommand("load", "Load a cog and add it to the autoload list", role: .operator,
                        options: [cog], audits: "cog") { await $1.actions.load($0.cogName) },
            HostCommand("unload", "Unload a cog and remove it from the autoload list", role: .operator,
                        options: [cog], audits: "cog") { await $1.actions.unload($0.cogName) },
            HostCommand("cogs", "List the cogs with their versions and generations", role: .operator) {
                .info(await $1.actions.cogsEmbed())
            },
            HostCommand("sync", "Push the command definitions to Discord now", role: .operator) { await $1.actions.sync() },
            HostCommand("backup", "Back up the database now", role: .operator, defersFirst: true) { await $1.actions.backup() },
            HostCommand("jobs", "List the cogs' scheduled jobs with their next runs", role: .operator) { _, tools in
                .info(JobsEmbed.make(Result { try tools.jobs.listing() }))
            },
            HostCommand("health", "Database, gateway latency, cogs, uptime, memory and the last backup", role: .operator) {
                .info(HostHealthEmbed.make(await $1.health.snapshot()))
            },
            HostCommand("cog", "Turn a cog or a command off or on in this server", role: .guildManager,
                        subcommands: GuildSwitchCommand.subcommands, audits: "name") { await $1.guildSwitches.run($0) },
            HostCommand("audit", "Show the latest admin actions", role: .guildManager,
                        options: [.integer("count", "How many (default 10)", in: 1...25)]) { invocation, tools in
                .info(AuditEmbed.make(audit: tools.audit, count: invocation.integer("count") ?? 10, caller: invocation.caller))
            },
        ]
    }()

    private static let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The names the host keeps for itself; no cog may declare them.
    static let names = Set(byName.keys)

    /// The definitions synced with Discord, split by who may run them.
    static let definitions = HostCommandDefinitions(
        operators: all.filter { $0.role == .operator }.map(\.definition),
        guildManagers: all.filter { $0.role == .guildManager }.map(\.definition)
    )

    /// How the user who sent `facts` stands.
    func caller(of facts: InteractionRoutingFacts) -> HostCommandCaller {
        let user = facts.userID ?? 0
        let permissions = facts.memberPermissions ?? 0
        return HostCommandCaller(
            userID: user, guildID: facts.guildID, isOperator: operators.isOperator(user),
            managesGuild: permissions & (Permission.manageGuild | Permission.administrator) != 0
        )
    }

    var serverName: String { "host" }

    // The host's commands are not drained: a reload or shutdown waits for cog calls only.
    func enter() {}
    func leave() {}

    func serve(
        _ interaction: RoutedInteraction, through _: CogInteractionCalls, responder: some InteractionResponder
    ) async -> InteractionOutcome {
        let facts = interaction.facts
        let name = facts.commandName ?? ""
        guard let command = Self.byName[name] else { return .unavailable("/\(name)") }
        guard interaction.kind == COG_REQUEST_COMMAND else {
            // No host command declares autocomplete; a forged request runs nothing.
            await responder.respondOrLog(.suggestions(Array("[]".utf8)), to: facts, logger: logger)
            return .hostCommand(name)
        }
        let started = ContinuousClock.now
        let invocation = HostCommandInvocation(caller: caller(of: facts), payload: interaction.payload)
        let action = invocation.subcommand.map { "\(name) \($0)" } ?? name
        let target = command.auditTarget.flatMap { invocation.string($0) }
        guard invocation.caller.may(command.role) else {
            let refusal = "⛔ /\(name) is for \(command.role.whoMay)."
            logger.notice("host command refused", metadata: [
                "command": "\(action)", "user": "\(invocation.caller.userID)",
                "guild": "\(facts.guildID.map(String.init) ?? "dm")",
            ])
            record(invocation.caller, action, target: target, .forbidden, detail: refusal, since: started)
            await responder.respondOrLog(.message(HostMessage.ephemeral(refusal)), to: facts, logger: logger)
            return .forbidden(name)
        }
        if command.defersFirst {
            await responder.respondOrLog(.deferred(ephemeral: true), to: facts, logger: logger)
        }
        let reply = await command.handler(invocation, tools)
        switch reply.audit {
        case .none: break
        case .succeeded: record(invocation.caller, action, target: target, .succeeded, detail: reply.text, since: started)
        case .failed: record(invocation.caller, action, target: target, .failed, detail: reply.text, since: started)
        }
        if command.defersFirst {
            do {
                try await responder.editOriginalResponse(of: facts, with: reply.message)
            } catch {
                logger.warning("could not edit the deferred answer", metadata: ["command": "\(name)", "error": "\(error)"])
            }
        } else {
            await responder.respondOrLog(.message(reply.message), to: facts, logger: logger)
        }
        return .hostCommand(name)
    }

    private func record(
        _ caller: HostCommandCaller, _ action: String, target: String?, _ result: AdminAuditLog.Result, detail: String,
        since started: ContinuousClock.Instant
    ) {
        let entry = AdminAuditLog.Entry(userID: caller.userID, guildID: caller.guildID, action: action, target: target,
                                        result: result, detail: detail, duration: ContinuousClock.now - started)
        logger.notice("admin action", metadata: [
            "user": "\(entry.userID)", "guild": "\(caller.guildID.map(String.init) ?? "dm")", "action": "\(action)",
            "target": "\(target ?? "-")", "result": "\(result.rawValue)", "duration_ms": "\(entry.duration.milliseconds)",
        ])
        do {
            try tools.audit.record(entry)
        } catch {
            logger.error("could not write the audit log", metadata: ["error": "\(error)"])
        }
    }
}

extension HostCommandInvocation {
    /// The `cog` option, lowercased as cog names are.
    var cogName: String { string("cog")?.lowercased() ?? "" }
}

/// `/audit`: the newest entries, of the caller's guild for a guild manager and of every guild
/// for an operator.
enum AuditEmbed {
    static func make(audit: AdminAuditLog, count: Int, caller: HostCommandCaller) -> HostMessage.Embed {
        let acrossGuilds = caller.isOperator
        let title = acrossGuilds ? "Audit log (every server)" : "Audit log (this server)"
        let entries: [AdminAuditLog.Entry]
        do {
            entries = try audit.recent(limit: min(max(count, 1), 25), guild: acrossGuilds ? nil : caller.guildID)
        } catch {
            return HostMessage.Embed(title: title, description: "❌ could not read it: \(error)", color: 0xED4245, fields: [])
        }
        let lines = entries.map { entry in
            let mark = switch entry.result {
            case .succeeded: "✅"
            case .failed: "❌"
            case .forbidden: "⛔"
            }
            let target = entry.target.map { " \($0)" } ?? ""
            let place = acrossGuilds ? " in " + (entry.guildID.map { "server \($0)" } ?? "a DM") : ""
            return "\(mark) <t:\(Int(entry.at.timeIntervalSince1970)):R> <@\(entry.userID)> /\(entry.action)\(target)\(place) (\(HostActions.format(entry.duration)))"
        }
        let text = lines.isEmpty ? "No admin actions yet." : lines.joined(separator: "\n")
        return HostMessage.Embed(title: title, description: String(text.prefix(4000)), color: 0x5865F2, fields: [])
    }
}
