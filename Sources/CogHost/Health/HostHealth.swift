import DiscordCache
import Foundation
import Storage
import Synchronization

/// The host's health at one moment: what the admin `/health` command, the operations
/// endpoints (`/ready`, `/health/discord`, `/metrics`) and the heartbeat file report.
public struct HostHealth: Sendable, Codable {
    /// One cog the host knows about.
    public struct Cog: Sendable, Codable, Equatable {
        public var name: String
        public var version: String?
        /// The serving generation; `nil` when not loaded.
        public var generation: Int?
        public var quarantine: String?
        public var lastError: String?
    }

    public var uptimeSeconds: Double
    public var residentBytes: Int
    public var databaseWritable: Bool
    public var databaseBytes: Int64
    public var walBytes: Int64
    /// Seconds since the newest backup was made; `nil` when there is none.
    public var lastBackupAgeSeconds: Double?
    public var cogs: [Cog]
    public var imagesMapped: Int
    public var restartRecommended: Bool
    /// What the cache of Discord holds, and its estimated memory.
    public var cache: CacheSize
    public var connection: ConnectionHealth?
    /// Why the bot is not ready; empty when it is.
    public var notReadyBecause: [String]

    /// Connected and READY, the database writable, and every autoloaded cog serving.
    public var isReady: Bool { notReadyBecause.isEmpty }
}

/// The cache's contents, counted (see ``GuildCache/size()``).
public struct CacheSize: Sendable, Codable, Equatable {
    public var guilds: Int
    public var channels: Int
    public var roles: Int
    public var members: Int
    public var messages: Int
    public var estimatedBytes: Int
}

/// Gathers ``HostHealth`` from the parts of the host that know it.
struct HealthProbe: Sendable {
    let database: SQLiteDatabase
    let cache: GuildCache
    let supervisor: CogSupervisor
    let backups: DatabaseBackup
    /// Reports the Discord connection; `nil` when nothing connects this host (tests, `--events`).
    let connection: (@Sendable () -> ConnectionHealth?)?
    let draining: DrainState
    let writability: DatabaseWritability
    let startedAt: Date

    func snapshot() async -> HostHealth {
        var reasons: [String] = []
        if draining.isDraining { reasons.append(DrainState.reason) }
        let connection = connection?()
        if let connection {
            if !connection.isReady { reasons.append("the gateway is \(connection.summary)") }
        } else {
            reasons.append("not connected to Discord")
        }
        let databaseProblem = databaseWriteProblem()
        if let databaseProblem { reasons.append("the database is not writable: \(databaseProblem)") }
        let statuses = await supervisor.statuses()
        for name in await supervisor.autoloadList {
            guard let status = statuses.first(where: { $0.name == name }), !status.isLoaded, status.quarantine == nil else { continue }
            reasons.append("autoloaded cog \(name) is not loaded" + (status.lastError.map { ": \($0)" } ?? ""))
        }
        let newestBackup = backups.existing().compactMap { file in
            (try? file.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate
        }.max()
        let databaseBytes = (try? FileManager.default.attributesOfItem(atPath: database.file.path)[.size] as? Int64) ?? nil
        return HostHealth(
            uptimeSeconds: Date().timeIntervalSince(startedAt),
            residentBytes: ProcessMemory.residentBytes(),
            databaseWritable: databaseProblem == nil,
            databaseBytes: databaseBytes ?? 0,
            walBytes: database.walBytes,
            lastBackupAgeSeconds: newestBackup.map { Date().timeIntervalSince($0) },
            cogs: statuses.map { .init(name: $0.name, version: $0.version, generation: $0.generation, quarantine: $0.quarantine,
                                       lastError: $0.lastError) },
            imagesMapped: await supervisor.imagesMapped,
            restartRecommended: await supervisor.restartRecommended,
            cache: { let size = cache.size()
                return CacheSize(guilds: size.guilds, channels: size.channels, roles: size.roles, members: size.members,
                                 messages: size.messages, estimatedBytes: size.estimatedBytes) }(),
            connection: connection,
            notReadyBecause: reasons
        )
    }

    /// Takes and releases the write lock: a read-only file system, a locked or corrupt
    /// database shows here before a player's command finds it. `nil` when writable.
    private func databaseWriteProblem() -> String? {
        writability.problem
    }
}

/// Whether the database takes writes, as last probed. `/ready`, `/metrics` and `/health` read
/// the answer from memory: probing takes the writer's lock, which a scrape every few seconds
/// must not contend for with commands, and which a stuck statement would hold. The database's
/// upkeep probes every few seconds off the command path.
final class DatabaseWritability: Sendable {
    static let probeInterval: Duration = .seconds(5)
    /// A probe still waiting for the writer after this long means the writer is stuck.
    static let stuckAfter: Duration = .seconds(15)

    private struct State {
        var problem: String?
        /// When the probe now waiting for the writer began; `nil` between probes.
        var waitingSince: ContinuousClock.Instant?
    }

    private let state = Mutex(State())

    /// Why the database does not take writes, or `nil` when it does: the last probe's answer,
    /// or that the probe in progress has waited for the writer too long.
    var problem: String? {
        state.withLock { state in
            if let since = state.waitingSince, ContinuousClock.now - since > Self.stuckAfter {
                return "the writer has been busy for over \(Self.stuckAfter.components.seconds) s"
            }
            return state.problem
        }
    }

    /// Opens and rolls back a write transaction; records what happened.
    func probe(_ database: SQLiteDatabase) {
        state.withLock { $0.waitingSince = ContinuousClock.now }
        let problem: String?
        do {
            try database.write { scope in
                _ = try scope.execute("BEGIN IMMEDIATE")
                _ = try scope.execute("ROLLBACK")
            }
            problem = nil
        } catch {
            problem = "\(error)"
        }
        state.withLock { $0 = State(problem: problem, waitingSince: nil) }
    }
}

/// Whether the host has begun its graceful shutdown: from then on it reports itself not ready,
/// so a load balancer or an orchestrator stops sending it work while it drains.
final class DrainState: Sendable {
    static let reason = "shutting down"

    private let flag = Atomic<Bool>(false)

    var isDraining: Bool { flag.load(ordering: .relaxed) }

    func begin() { flag.store(true, ordering: .relaxed) }
}
