import Foundation
import Logging
import ServiceLifecycle
import Storage

/// The database's periodic care while the host runs: the activity counts written once a
/// minute, whether it takes writes probed every 5 s (for `/ready`), the WAL checkpointed once it passes 4 MiB, `PRAGMA optimize` and a checkpoint every
/// ``HostConfiguration/databaseMaintenanceInterval`` (with the audit log's old entries pruned,
/// and a VACUUM of a fragmented file when
/// nobody has played for ``HostConfiguration/vacuumWhenIdleFor``), and a backup every
/// ``HostConfiguration/backupInterval``. A failure is logged; the host keeps serving.
///
/// It is the first of the host's services to start and the last to stop, so the final
/// activity counts are written after every cog has drained.
struct DatabaseUpkeep: Service {
    let configuration: HostConfiguration
    let database: SQLiteDatabase
    let activity: ActivityCounters
    let audit: AdminAuditLog
    let writability: DatabaseWritability
    let router: InteractionRouter
    let alerts: HostAlerts
    let logger: Logger

    func run() async throws {
        try await untilGracefulShutdown {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await flushActivity() }
                group.addTask { try await checkpointWAL() }
                group.addTask { try await probeWritability() }
                group.addTask { try await maintain() }
                try await group.next()
                group.cancelAll()
            }
        }
        writeActivity()
    }

    private func flushActivity() async throws {
        while true {
            try await Task.sleep(for: .seconds(60))
            writeActivity()
        }
    }

    /// Writes the activity counts; a failure keeps them for the next try.
    private func writeActivity() {
        do {
            try activity.flush()
        } catch {
            logger.warning("could not write the activity counts", metadata: ["error": "\(error)"])
        }
    }

    /// Probes whether the database takes writes, on a thread of its own (it waits for the
    /// writer), for readiness to read from memory.
    private func probeWritability() async throws {
        while true {
            try await Task.sleep(for: DatabaseWritability.probeInterval)
            try await BlockingWork.run("cogwheel-write-probe") { [database, writability] in writability.probe(database) }
        }
    }

    /// Checkpoints on a thread of its own, so that no command's commit waits for the fsync a
    /// checkpoint does (see ``SQLiteDatabase/checkpoint()``).
    private func checkpointWAL() async throws {
        while true {
            try await Task.sleep(for: .milliseconds(500))
            guard database.walBytes > 4 << 20 else { continue }
            do {
                _ = try await BlockingWork.run("cogwheel-checkpoint") { [database] in try database.checkpoint() }
            } catch {
                logger.warning("WAL checkpoint failed", metadata: ["error": "\(error)"])
            }
        }
    }

    private func maintain() async throws {
        let clock = ContinuousClock()
        var nextMaintenance = clock.now + configuration.databaseMaintenanceInterval
        var nextBackup = configuration.backupInterval.map { clock.now + $0 }
        while true {
            try await clock.sleep(until: min(nextMaintenance, nextBackup ?? nextMaintenance))
            if clock.now >= nextMaintenance {
                nextMaintenance = clock.now + configuration.databaseMaintenanceInterval
                await optimize()
            }
            if let due = nextBackup, clock.now >= due, let interval = configuration.backupInterval {
                nextBackup = clock.now + interval
                await backUp()
            }
        }
    }

    private func optimize() async {
        do {
            let pruned = try audit.prune()
            if pruned > 0 { logger.info("old audit entries removed", metadata: ["entries": "\(pruned)"]) }
            _ = try database.query("PRAGMA optimize")
            _ = try database.query("PRAGMA wal_checkpoint(TRUNCATE)")
            let idle = router.secondsSinceLastInteraction.map { Duration.seconds($0) } ?? .seconds(Int64.max / 2)
            if idle >= configuration.vacuumWhenIdleFor {
                let reclaimed = try await BlockingWork.run("cogwheel-vacuum") { [database] in try database.vacuumIfFragmented() }
                if reclaimed > 0 { logger.notice("database vacuumed while idle", metadata: ["reclaimed_bytes": "\(reclaimed)"]) }
            }
        } catch {
            logger.warning("database maintenance failed", metadata: ["error": "\(error)"])
        }
    }

    private func backUp() async {
        do {
            let made = try await BlockingWork.run("cogwheel-backup") { [configuration, database] in
                try configuration.backups.create(from: database)
            }
            logger.notice("scheduled backup made", metadata: ["file": "\(made.file.path)", "bytes": "\(made.bytes)"])
        } catch {
            logger.error("scheduled backup failed", metadata: ["error": "\(error)"])
            alerts.raise(.backupFailed(reason: "\(error)"))
        }
    }
}
