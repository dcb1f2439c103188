import Foundation
import Logging
import Storage

/// What the operators' commands do: reload, load and unload cogs, sync commands, back up,
/// and describe the cogs. Each returns the typed reply its command sends.
struct HostActions: Sendable {
    let supervisor: CogSupervisor
    let alerts: HostAlerts
    let logger: Logger
    let makeBackup: @Sendable () throws -> DatabaseBackup.Made

    init(supervisor: CogSupervisor, alerts: HostAlerts, logger: Logger, backup: @escaping @Sendable () throws -> DatabaseBackup.Made) {
        self.supervisor = supervisor
        self.alerts = alerts
        self.logger = logger
        makeBackup = backup
    }

    func reload(_ cog: String) async -> HostReply {
        do {
            let report = try await supervisor.reload(cog)
            let build = report.sameBuild ? " (same build as before)" : ""
            // A new capability is the operator's to see: the cog may now do more on Discord.
            let added = report.addedCapabilities.isEmpty ? ""
                : "\n⚠️ The new build adds the capabilit\(report.addedCapabilities.count == 1 ? "y" : "ies") \(report.addedCapabilities.map { "`\($0)`" }.joined(separator: ", ")); deny with COGWHEEL_DENY_CAPABILITIES if it should not have them."
            return .done("Reloaded **\(cog)** \(report.fromVersion) → \(report.toVersion): generation \(report.fromGeneration) → \(report.toGeneration)\(build), serving after \(Self.format(report.timeToSwap)).\(added)")
        } catch {
            return .failed(error.description)
        }
    }

    func load(_ cog: String) async -> HostReply {
        do {
            let generation = try await supervisor.load(cog, persist: true)
            return .done("Loaded **\(cog)** \(generation.image.version) (generation \(generation.number)) and added it to the autoload list.")
        } catch {
            return .failed(error.description)
        }
    }

    func unload(_ cog: String) async -> HostReply {
        do {
            try await supervisor.unload(cog, persist: true)
            return .done("Unloaded **\(cog)** and removed it from the autoload list.")
        } catch {
            return .failed(error.description)
        }
    }

    func sync() async -> HostReply {
        do {
            guard let report = try await supervisor.syncCommands(force: true) else {
                return .info("ℹ️ Nothing to sync: this host is not connected to Discord.")
            }
            return .done(report.summary)
        } catch {
            logger.error("command sync failed", metadata: ["error": "\(error)"])
            return .failed("Sync failed: \(error)")
        }
    }

    func backup() async -> HostReply {
        do {
            let made = try await BlockingWork.run("cogwheel-backup", makeBackup)
            logger.notice("backup made", metadata: ["file": "\(made.file.path)", "bytes": "\(made.bytes)"])
            let pruned = made.pruned.isEmpty ? "" : " Removed \(made.pruned.count) old backup(s)."
            return .done("Backed up to `\(made.file.lastPathComponent)` (\(made.bytes / 1024) KiB\(made.encrypted ? ", encrypted" : "")).\(pruned)")
        } catch {
            logger.error("backup failed", metadata: ["error": "\(error)"])
            alerts.raise(.backupFailed(reason: "\(error)"))
            return .failed("Backup failed: \(error)")
        }
    }

    func cogsEmbed() async -> HostMessage.Embed {
        let statuses = await supervisor.statuses()
        let images = await supervisor.imagesMapped
        let restart = await supervisor.restartRecommended
        let fields = statuses.prefix(25).map { status -> HostMessage.Embed.Field in
            var lines: [String] = []
            if let generation = status.generation, let version = status.version {
                lines.append("v\(version), generation \(generation)")
                if let loadedAt = status.loadedAt { lines.append("loaded <t:\(Int(loadedAt.timeIntervalSince1970)):R>") }
                lines.append(status.commands.map { "/\($0)" }.joined(separator: " "))
                if !status.events.isEmpty {
                    lines.append("hears \(status.events.joined(separator: ", ")) (intents \(status.intents.joined(separator: ", ")))")
                }
                if !status.capabilities.isEmpty {
                    let denied = status.deniedCapabilities.isEmpty ? "" : " (denied: \(status.deniedCapabilities.joined(separator: ", ")))"
                    lines.append("may \(status.capabilities.joined(separator: ", "))\(denied)")
                }
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

    static func format(_ duration: Duration) -> String {
        String(format: "%.2f ms", duration.milliseconds)
    }
}
