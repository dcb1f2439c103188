import Crypto
import DiscordModels
import Foundation
import Logging
import Storage

/// Where command definitions are published: Discord's bulk-overwrite endpoint, through the
/// bot's REST client. The host decides *whether* to publish; the publisher only sends.
public protocol CommandPublisher: Sendable {
    /// The guild the bot's commands go to when none is named (a development guild), or `nil`
    /// for the global scope.
    var defaultGuild: Snowflake? { get }
    /// Which copy of the commands the definitions replace: those of `guild`, or of the default
    /// scope for `nil`. The key names the API endpoint, application and scope, so a bot pointed
    /// at another application or guild syncs afresh.
    func destination(guild: Snowflake?) async throws -> CommandDestination
    /// Replaces the commands at ``destination(guild:)`` with `definitions`.
    func publish(_ definitions: [ApplicationCommand], guild: Snowflake?) async throws
}

/// The host's own command definitions, split by who may run them.
public struct HostCommandDefinitions: Sendable {
    public var operators: [ApplicationCommand]
    public var guildManagers: [ApplicationCommand]
}

/// Which definitions go to which copy on Discord. With operator guilds, the operators'
/// commands are registered only there and nobody elsewhere sees them; otherwise everything
/// goes to the default scope, the operators' commands hidden by `default_member_permissions`.
struct CommandPlan: Sendable, Equatable {
    struct Scope: Sendable, Equatable {
        /// `nil` is the publisher's default scope.
        var guild: Snowflake?
        var definitions: [ApplicationCommand]
    }

    var scopes: [Scope]

    init(host: HostCommandDefinitions, cogs: [ApplicationCommand], operatorGuilds: [Snowflake], defaultGuild: Snowflake?) {
        let elsewhere = operatorGuilds.filter { $0 != defaultGuild }
        let operatorsInDefault = operatorGuilds.isEmpty || elsewhere.count < operatorGuilds.count
        scopes = [Scope(guild: nil, definitions: (operatorsInDefault ? host.operators : []) + host.guildManagers + cogs)]
        for guild in Set(elsewhere).sorted(by: { $0.rawValue < $1.rawValue }) {
            scopes.append(Scope(guild: guild, definitions: host.operators))
        }
    }
}

/// One copy of the application commands on Discord.
public struct CommandDestination: Sendable, Equatable {
    /// Identifies the copy in `host_command_sync`, e.g. `https://discord.com/api/v10 123/global`.
    public var key: String
    /// For people: `global scope` or `guild 123`.
    public var scope: String

    public init(key: String, scope: String) {
        self.key = key
        self.scope = scope
    }
}

/// Keeps Discord's copy of the application commands equal to the bot's, calling the
/// bulk-overwrite endpoint only when the definitions changed.
///
/// The canonical form is the definitions sorted by name and encoded with sorted keys; its
/// SHA-256 is stored per API endpoint, application and scope (global or one guild) in the host
/// database (`host_command_sync`), with one hash per command so each sync can log what was
/// added, removed or changed.
public actor CommandSync {
    /// What one sync did, per copy.
    public struct Report: Sendable, Equatable {
        public var scopes: [ScopeReport]

        /// Whether any copy was sent to Discord.
        public var pushed: Bool { scopes.contains(where: \.pushed) }

        /// A line for the admin and the log.
        public var summary: String { scopes.map(\.summary).joined(separator: " ") }
    }

    /// What one sync did to one copy.
    public struct ScopeReport: Sendable, Equatable {
        public var pushed: Bool
        public var added: [String] = []
        public var removed: [String] = []
        public var changed: [String] = []
        public var scope: String

        /// A line for the admin and the log.
        public var summary: String {
            guard pushed else { return "Commands unchanged in \(scope); nothing sent to Discord." }
            var parts: [String] = []
            if !added.isEmpty { parts.append("added " + added.map { "/\($0)" }.joined(separator: " ")) }
            if !removed.isEmpty { parts.append("removed " + removed.map { "/\($0)" }.joined(separator: " ")) }
            if !changed.isEmpty { parts.append("changed " + changed.map { "/\($0)" }.joined(separator: " ")) }
            return "Synced commands to \(scope): " + (parts.isEmpty ? "no differences (forced)" : parts.joined(separator: "; ")) + "."
        }
    }

    private struct StoredScope {
        var hash: String
        var commands: [String: String]
    }

    private let publisher: any CommandPublisher
    private let database: SQLiteDatabase
    private let logger: Logger

    init(publisher: any CommandPublisher, database: SQLiteDatabase, logger: Logger) {
        self.publisher = publisher
        self.database = database
        self.logger = logger
    }

    /// The publisher's default scope, for building a ``CommandPlan``.
    nonisolated var defaultGuild: Snowflake? { publisher.defaultGuild }

    /// Pushes each copy of `plan` whose definitions differ from its last sync, or always with `force`.
    @discardableResult
    func sync(_ plan: CommandPlan, force: Bool = false) async throws -> Report {
        var scopes: [ScopeReport] = []
        for scope in plan.scopes {
            scopes.append(try await sync(scope.definitions, guild: scope.guild, force: force))
        }
        return Report(scopes: scopes)
    }

    private func sync(_ definitions: [ApplicationCommand], guild: Snowflake?, force: Bool) async throws -> ScopeReport {
        let destination = try await publisher.destination(guild: guild)
        let (key, scope) = (destination.key, destination.scope)
        let sorted = definitions.sorted { $0.name < $1.name }
        let current = StoredScope(
            hash: Self.hash(try JSONCoding.encode(sorted)),
            commands: Dictionary(uniqueKeysWithValues: try sorted.map { ($0.name, Self.hash(try JSONCoding.encode($0))) })
        )
        let previous = try stored(key)
        if !force, previous?.hash == current.hash {
            logger.debug("commands unchanged; not syncing", metadata: ["scope": "\(scope)"])
            return ScopeReport(pushed: false, scope: scope)
        }
        try await publisher.publish(sorted, guild: guild)
        let old = previous?.commands ?? [:]
        let report = ScopeReport(
            pushed: true,
            added: current.commands.keys.filter { old[$0] == nil }.sorted(),
            removed: old.keys.filter { current.commands[$0] == nil }.sorted(),
            changed: current.commands.filter { name, hash in old[name].map { $0 != hash } ?? false }.keys.sorted(),
            scope: scope
        )
        try store(current, key: key)
        logger.notice("\(report.summary)")
        return report
    }

    private static func hash(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    private func stored(_ key: String) throws -> StoredScope? {
        guard let row = try database.query("SELECT hash, commands FROM host_command_sync WHERE scope = ?", [.text(key)]).first,
              let hash = row["hash"].text, let commands = row["commands"].text else { return nil }
        let hashes = (try? JSONDecoder().decode([String: String].self, from: Data(commands.utf8))) ?? [:]
        return StoredScope(hash: hash, commands: hashes)
    }

    private func store(_ scope: StoredScope, key: String) throws {
        let commands = String(decoding: try JSONCoding.encode(scope.commands), as: UTF8.self)
        try database.execute("""
            INSERT INTO host_command_sync (scope, hash, commands, synced_at) VALUES (?, ?, ?, ?)
            ON CONFLICT(scope) DO UPDATE SET hash = excluded.hash, commands = excluded.commands, synced_at = excluded.synced_at
            """, [.text(key), .text(scope.hash), .text(commands), .text(ISO8601DateFormatter().string(from: Date()))])
    }
}
