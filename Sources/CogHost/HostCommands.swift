import DiscordModels
import Foundation
import Logging
import Storage
import Synchronization

/// The host's own slash commands: `/reload`, `/load`, `/unload`, `/cogs`, `/sync` and
/// `/backup`, for admins.
///
/// Admins are the configured user ids; when none are configured, members with the
/// Administrator permission. The definitions also set `default_member_permissions` to
/// Administrator, so Discord hides them from everybody else.
final class HostCommands: Sendable {
    static let administratorPermission: UInt64 = 1 << 3

    private let supervisor: CogSupervisor
    private let adminUserIDs: Set<UInt64>
    private let logger: Logger
    private let synchronizer = Mutex<CommandSynchronizer?>(nil)
    private let backup: @Sendable () throws -> DatabaseBackup.Made

    /// Pushes the command definitions to Discord; `force` syncs even when nothing changed.
    /// Returns a line for the admin describing what happened.
    typealias CommandSynchronizer = @Sendable (_ force: Bool) async throws -> String

    init(
        supervisor: CogSupervisor, adminUserIDs: Set<UInt64>, logger: Logger,
        backup: @escaping @Sendable () throws -> DatabaseBackup.Made
    ) {
        self.supervisor = supervisor
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
        guard isAdmin(facts) else {
            logger.notice("admin command refused", metadata: ["command": "\(name)", "user": "\(facts.userID ?? 0)"])
            await responder.respondOrLog(.message(HostMessage.ephemeral(HostMessage.forbidden)), to: facts, logger: logger)
            return .forbidden(name)
        }
        let reply: [UInt8]
        switch name {
        case "cogs":
            reply = HostMessage.ephemeral(embed: await cogsEmbed())
        case "sync":
            reply = HostMessage.ephemeral(await sync())
        case "backup":
            // A large database takes seconds to copy: answer "thinking…" now, the result later.
            await responder.respondOrLog(.deferred(ephemeral: true), to: facts, logger: logger)
            let text = await makeBackup()
            do {
                try await responder.editOriginalResponse(of: facts, with: HostMessage.ephemeral(text))
            } catch {
                logger.warning("could not report the backup to the admin", metadata: ["error": "\(error)"])
            }
            return .hostCommand(name)
        default:
            let cog = Self.cogOption(payload) ?? ""
            reply = HostMessage.ephemeral(await change(name, cog: cog))
        }
        await responder.respondOrLog(.message(reply), to: facts, logger: logger)
        return .hostCommand(name)
    }

    func setSynchronizer(_ synchronizer: @escaping CommandSynchronizer) {
        self.synchronizer.withLock { $0 = synchronizer }
    }

    private func sync() async -> String {
        guard let synchronizer = synchronizer.withLock({ $0 }) else {
            return "ℹ️ Nothing to sync: this host is not connected to Discord."
        }
        do {
            return try await synchronizer(true)
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

    private struct CogOptionPayload: Decodable {
        struct Data: Decodable {
            struct Option: Decodable {
                var name: String
                var value: String?
            }
            var options: [Option]?
        }
        var data: Data?
    }

    private static func cogOption(_ payload: [UInt8]) -> String? {
        let decoded = try? JSONDecoder().decode(CogOptionPayload.self, from: Foundation.Data(payload))
        return decoded?.data?.options?.first { $0.name == "cog" }?.value?.lowercased()
    }

    private static func format(_ duration: Duration) -> String {
        String(format: "%.2f ms", duration.milliseconds)
    }
}
