import DiscordModels
import Foundation
import Logging
import Storage
import Synchronization

/// The host's own slash commands: `/reload`, `/load`, `/unload`, `/cogs`, `/sync`, `/backup`,
/// `/jobs`, `/audit`, `/health` and `/cog` (per-guild switches), for admins. Every action, and every refused attempt, goes to the audit log.
///
/// Admins are the configured user ids; when none are configured, members with the
/// Administrator permission. The definitions also set `default_member_permissions` to
/// Administrator, so Discord hides them from everybody else.
final class HostCommands: Sendable {
    static let administratorPermission: UInt64 = 1 << 3

    private let supervisor: CogSupervisor
    private let adminUserIDs: Set<UInt64>
    private let logger: Logger
    private let backup: @Sendable () throws -> DatabaseBackup.Made
    private let audit: AdminAuditLog
    private let health: HealthProbe
    private let guildSwitches: GuildSwitchCommand
    private let alerts: HostAlerts
    private let jobs: JobScheduler

    init(
        supervisor: CogSupervisor, adminUserIDs: Set<UInt64>, audit: AdminAuditLog, health: HealthProbe,
        switchboard: GuildSwitchboard, alerts: HostAlerts, jobs: JobScheduler, logger: Logger,
        backup: @escaping @Sendable () throws -> DatabaseBackup.Made
    ) {
        self.health = health
        self.jobs = jobs
        self.alerts = alerts
        guildSwitches = GuildSwitchCommand(supervisor: supervisor, switchboard: switchboard)
        self.supervisor = supervisor
        self.audit = audit
        self.adminUserIDs = adminUserIDs
        self.logger = logger
        self.backup = backup
    }

    /// The definitions synced with Discord next to the cogs' commands.
    static let definitions: [ApplicationCommand] = {
        func cogCommand(_ name: String, _ description: String) -> ApplicationCommand {
            ApplicationCommand(
                name: name, description: description,
                options: [ApplicationCommandOption(type: 3, name: "cog", description: "The cog's name", required: true)],
                defaultMemberPermissions: String(administratorPermission)
            )
        }
        return [
            cogCommand("reload", "Load a new build of a cog without dropping the connection"),
            cogCommand("load", "Load a cog and add it to the autoload list"),
            cogCommand("unload", "Unload a cog and remove it from the autoload list"),
            ApplicationCommand(name: "cogs", description: "List the cogs with their versions and generations",
                               defaultMemberPermissions: String(administratorPermission)),
            ApplicationCommand(name: "sync", description: "Push the command definitions to Discord now",
                               defaultMemberPermissions: String(administratorPermission)),
            ApplicationCommand(name: "backup", description: "Back up the database now",
                               defaultMemberPermissions: String(administratorPermission)),
            ApplicationCommand(name: "jobs", description: "List the cogs' scheduled jobs with their next runs",
                               defaultMemberPermissions: String(administratorPermission)),
            ApplicationCommand(name: "health", description: "Database, gateway latency, cogs, uptime, memory and the last backup",
                               defaultMemberPermissions: String(administratorPermission)),
            GuildSwitchCommand.definition,
            ApplicationCommand(
                name: "audit", description: "Show the latest admin actions",
                options: [{
                    var count = ApplicationCommandOption(type: 4, name: "count", description: "How many (default 10)", required: false)
                    count.minValue = 1
                    count.maxValue = 25
                    return count
                }()],
                defaultMemberPermissions: String(administratorPermission)
            ),
        ]
    }()

    static let names = Set(definitions.map(\.name))

    func handles(_ command: String) -> Bool { Self.names.contains(command) }

    func isAdmin(_ facts: InteractionRoutingFacts) -> Bool {
        if let user = facts.userID, adminUserIDs.contains(user) { return true }
        return adminUserIDs.isEmpty && (facts.memberPermissions ?? 0) & Self.administratorPermission != 0
    }

    func run(_ facts: InteractionRoutingFacts, payload: [UInt8], responder: some InteractionResponder) async -> InteractionOutcome {
        let name = facts.commandName ?? ""
        let started = ContinuousClock.now
        let target = Self.option("cog", in: payload)
        guard isAdmin(facts) else {
            logger.notice("admin command refused", metadata: ["command": "\(name)", "user": "\(facts.userID ?? 0)"])
            record(facts, name, target: target, .forbidden, detail: "not an admin", since: started)
            await responder.respondOrLog(.message(HostMessage.ephemeral(HostMessage.forbidden)), to: facts, logger: logger)
            return .forbidden(name)
        }
        let reply: [UInt8]
        switch name {
        case "cogs":
            reply = HostMessage.ephemeral(embed: await cogsEmbed())
        case "cog":
            let subcommand = String(facts.commandPath.split(separator: " ").last ?? "")
            let target = Self.option("name", in: payload)
            let text = await guildSwitches.run(subcommand: subcommand, name: target, guild: facts.guildID, user: facts.userID ?? 0)
            if subcommand != "list" { record(facts, "cog \(subcommand)", target: target, text: text, since: started) }
            reply = HostMessage.ephemeral(text)
        case "health":
            reply = HostMessage.ephemeral(embed: HostHealthEmbed.make(await health.snapshot()))
        case "jobs":
            reply = HostMessage.ephemeral(embed: JobsEmbed.make(Result { try jobs.listing() }))
        case "audit":
            reply = HostMessage.ephemeral(embed: auditEmbed(count: Int(Self.option("count", in: payload) ?? "") ?? 10))
        case "sync":
            let text = await sync()
            record(facts, name, target: nil, text: text, since: started)
            reply = HostMessage.ephemeral(text)
        case "backup":
            // A large database takes seconds to copy: answer "thinking…" now, the result later.
            await responder.respondOrLog(.deferred(ephemeral: true), to: facts, logger: logger)
            let text = await makeBackup()
            record(facts, name, target: nil, text: text, since: started)
            do {
                try await responder.editOriginalResponse(of: facts, with: HostMessage.ephemeral(text))
            } catch {
                logger.warning("could not report the backup to the admin", metadata: ["error": "\(error)"])
            }
            return .hostCommand(name)
        default:
            let text = await change(name, cog: target ?? "")
            record(facts, name, target: target, text: text, since: started)
            reply = HostMessage.ephemeral(text)
        }
        await responder.respondOrLog(.message(reply), to: facts, logger: logger)
        return .hostCommand(name)
    }

    /// Audits an action whose answer starts with ✅ on success.
    private func record(_ facts: InteractionRoutingFacts, _ action: String, target: String?, text: String, since started: ContinuousClock.Instant) {
        record(facts, action, target: target, text.hasPrefix("✅") ? .succeeded : .failed, detail: text, since: started)
    }

    private func record(
        _ facts: InteractionRoutingFacts, _ action: String, target: String?, _ result: AdminAuditLog.Result, detail: String,
        since started: ContinuousClock.Instant
    ) {
        let entry = AdminAuditLog.Entry(userID: facts.userID ?? 0, action: action, target: target, result: result,
                                        detail: detail, duration: ContinuousClock.now - started)
        logger.notice("admin action", metadata: [
            "user": "\(entry.userID)", "action": "\(action)", "target": "\(target ?? "-")", "result": "\(result.rawValue)",
            "duration_ms": "\(entry.duration.milliseconds)",
        ])
        do {
            try audit.record(entry)
        } catch {
            logger.error("could not write the audit log", metadata: ["error": "\(error)"])
        }
    }

    private func auditEmbed(count: Int) -> HostMessage.Embed {
        let entries: [AdminAuditLog.Entry]
        do {
            entries = try audit.recent(limit: min(max(count, 1), 25))
        } catch {
            return HostMessage.Embed(title: "Audit log", description: "❌ could not read it: \(error)", color: 0xED4245, fields: [])
        }
        let lines = entries.map { entry in
            let mark = switch entry.result {
            case .succeeded: "✅"
            case .failed: "❌"
            case .forbidden: "⛔"
            }
            let target = entry.target.map { " \($0)" } ?? ""
            return "\(mark) <t:\(Int(entry.at.timeIntervalSince1970)):R> <@\(entry.userID)> /\(entry.action)\(target) (\(Self.format(entry.duration)))"
        }
        let text = lines.isEmpty ? "No admin actions yet." : lines.joined(separator: "\n")
        return HostMessage.Embed(title: "Audit log", description: String(text.prefix(4000)), color: 0x5865F2, fields: [])
    }

    private func sync() async -> String {
        do {
            guard let report = try await supervisor.syncCommands(force: true) else {
                return "ℹ️ Nothing to sync: this host is not connected to Discord."
            }
            return report.summary
        } catch {
            logger.error("command sync failed", metadata: ["error": "\(error)"])
            return "❌ Sync failed: \(error)"
        }
    }

    private func makeBackup() async -> String {
        do {
            let made = try await BlockingWork.run("cogwheel-backup", backup)
            logger.notice("backup made", metadata: ["file": "\(made.file.path)", "bytes": "\(made.bytes)"])
            let pruned = made.pruned.isEmpty ? "" : " Removed \(made.pruned.count) old backup(s)."
            return "✅ Backed up to `\(made.file.lastPathComponent)` (\(made.bytes / 1024) KiB\(made.encrypted ? ", encrypted" : "")).\(pruned)"
        } catch {
            logger.error("backup failed", metadata: ["error": "\(error)"])
            alerts.raise(.backupFailed(reason: "\(error)"))
            return "❌ Backup failed: \(error)"
        }
    }

    private func change(_ command: String, cog: String) async -> String {
        do {
            switch command {
            case "reload":
                let report = try await supervisor.reload(cog)
                let build = report.sameBuild ? " (same build as before)" : ""
                return "✅ Reloaded **\(cog)** \(report.fromVersion) → \(report.toVersion): generation \(report.fromGeneration) → \(report.toGeneration)\(build), serving after \(Self.format(report.timeToSwap))."
            case "load":
                let generation = try await supervisor.load(cog, persist: true)
                return "✅ Loaded **\(cog)** \(generation.image.version) (generation \(generation.number)) and added it to the autoload list."
            default:
                try await supervisor.unload(cog, persist: true)
                return "✅ Unloaded **\(cog)** and removed it from the autoload list."
            }
        } catch {
            return "❌ \(error.description)"
        }
    }

    private func cogsEmbed() async -> HostMessage.Embed {
        let statuses = await supervisor.statuses()
        let images = await supervisor.imagesMapped
        let restart = await supervisor.restartRecommended
        let fields = statuses.prefix(25).map { status -> HostMessage.Embed.Field in
            var lines: [String] = []
            if let generation = status.generation, let version = status.version {
                lines.append("v\(version), generation \(generation)")
                if let loadedAt = status.loadedAt { lines.append("loaded <t:\(Int(loadedAt.timeIntervalSince1970)):R>") }
                lines.append(status.commands.map { "/\($0)" }.joined(separator: " "))
            } else {
                lines.append("not loaded")
            }
            if let quarantine = status.quarantine { lines.append("⚠️ quarantined: \(quarantine)") }
            if let error = status.lastError { lines.append("last error: \(error)") }
            return .init(name: status.name, value: String(lines.joined(separator: "\n").prefix(1024)), inline: false)
        }
        let memory = "\(ProcessMemory.residentBytes() / 1_048_576) MiB resident"
        let footer = restart ? "⚠️ \(images) cog images mapped, \(memory): a restart is recommended."
            : "\(images) cog images mapped, \(memory)."
        return HostMessage.Embed(title: "Cogs", description: footer, color: restart ? 0xE67E22 : 0x57F287, fields: fields)
    }

    private struct OptionPayload: Decodable {
        struct Data: Decodable {
            struct Option: Decodable {
                var name: String
                var value: Value?
                /// A subcommand's own options.
                var options: [Option]?
            }
            var options: [Option]?
        }
        /// Option values arrive as strings or numbers.
        struct Value: Decodable {
            var text: String
            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let text = try? container.decode(String.self) {
                    self.text = text
                } else {
                    text = String(try container.decode(Int.self))
                }
            }
        }
        var data: Data?
    }

    /// The value of option `name` as text (a cog name is lowercased).
    private static func option(_ name: String, in payload: [UInt8]) -> String? {
        let decoded = try? JSONDecoder().decode(OptionPayload.self, from: Foundation.Data(payload))
        var options = decoded?.data?.options ?? []
        // Subcommands nest their options one level down.
        options += options.flatMap { $0.options ?? [] }
        let value = options.first { $0.name == name }?.value?.text
        return name == "cog" ? value?.lowercased() : value
    }

    private static func format(_ duration: Duration) -> String {
        String(format: "%.2f ms", duration.milliseconds)
    }
}
