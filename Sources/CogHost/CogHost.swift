import CHostSupport
import DiscordModels
import Foundation
import Logging
import Storage
import Synchronization

/// The cog host: owns the supervisor, the router and the crash flight recorder.
///
/// ```swift
/// let (host, startup) = try await CogHost.start(configuration: configuration, logger: logger)
/// try await withThrowingTaskGroup(of: Void.self) { group in
///     group.addTask { try await host.run() }        // timeouts and automatic deferrals
///     await host.router.handle(interaction: bytes, responder: responder)
///     group.cancelAll()
/// }
/// await host.shutdown()
/// ```
///
/// One host per process: the flight recorder and crash handlers are process-wide.
public final class CogHost: Sendable {
    /// Loads, reloads and unloads cogs.
    public let supervisor: CogSupervisor
    /// Routes interactions to cogs.
    public let router: InteractionRouter
    /// The settings the host started with.
    public let configuration: HostConfiguration
    /// The host's SQLite database (`<data-dir>/cogwheel.sqlite3`), migrated at start-up.
    public let database: SQLiteDatabase
    /// The cogs' scheduled jobs.
    public let jobs: JobScheduler
    let services: CogServiceProviders
    private let hostCommands: HostCommands
    private let healthProbe: HealthProbe
    private let alerts: HostAlerts
    /// Held from start to shutdown: one host per data directory.
    private let lock: Mutex<DataDirectoryLock?>
    private let logger: Logger

    /// What happened during start-up.
    public struct StartupReport: Sendable {
        /// How the previous run ended, when it did not end cleanly.
        public let previousCrash: CrashReport?
        /// Cogs quarantined because of that crash.
        public let quarantined: [String]
        /// The migrations applied, and the backup taken before them.
        public let migrations: StartupMigrations.Report
        /// The outcome for each autoloaded cog.
        public let autoload: [AutoloadResult]
    }

    private init(
        configuration: HostConfiguration, database: SQLiteDatabase, lock: DataDirectoryLock, supervisor: CogSupervisor,
        router: InteractionRouter, hostCommands: HostCommands, healthProbe: HealthProbe, alerts: HostAlerts,
        services: CogServiceProviders, logger: Logger
    ) {
        self.services = services
        self.jobs = services.jobs
        self.healthProbe = healthProbe
        self.alerts = alerts
        self.configuration = configuration
        self.database = database
        self.lock = Mutex(lock)
        self.hostCommands = hostCommands
        self.supervisor = supervisor
        self.router = router
        self.logger = logger
    }

    /// Opens the data directory and the database, reads how the previous run ended, quarantines
    /// cogs blamed for a crash, runs pending migrations (host and autoloaded cogs, after a
    /// backup; see ``StartupMigrations``) and autoloads the cogs.
    ///
    /// - Throws: ``StartupMigrationError`` when a migration fails: the host must not start.
    ///
    /// - Parameter autoDeferAfter: Defer an interaction whose cog has not answered by then.
    public static func start(
        configuration: HostConfiguration, autoDeferAfter: Duration? = .milliseconds(2500), logger: Logger
    ) async throws -> (CogHost, StartupReport) {
        let dataDirectory = configuration.dataDirectory
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let lock = try DataDirectoryLock.acquire(in: dataDirectory)
        let database = try SQLiteDatabase(file: configuration.databaseFile, backgroundCheckpoints: true)
        let previousCrash = try openFlightRecorder(in: dataDirectory)
        fr_install_crash_handlers()

        let stateStore = HostStateStore(file: dataDirectory.appendingPathComponent("host-state.json"))
        let table = RoutingTable()
        let alerts = HostAlerts()
        let services = CogServiceProviders(
            database: database,
            jobs: JobScheduler(database: database, clock: configuration.clock, table: table,
                               timeout: configuration.jobTimeout, logger: logger),
            activity: ActivityCounters(database: database, clock: configuration.clock), clock: configuration.clock
        )
        let supervisor = CogSupervisor(
            configuration: configuration, database: database, table: table, state: try stateStore.read(),
            stateStore: stateStore, reservedCommands: HostCommands.names, services: services, alerts: alerts, logger: logger
        )
        var quarantined: [String] = []
        if let previousCrash {
            logger.critical("\(previousCrash.summary)")
            quarantined = previousCrash.cogsToQuarantine
            await supervisor.quarantine(quarantined, reason: previousCrash.summary)
        }
        let migrations: StartupMigrations.Report
        do {
            migrations = try StartupMigrations(database: database, backups: configuration.backups, logger: logger)
                .run(host: SchemaMigrator(owner: HostSchema.owner, migrations: HostSchema.migrations),
                     cogs: await supervisor.imagesToMigrate())
        } catch {
            // A refused start is a deliberate stop, not a crash to attribute on the next start.
            fr_mark_clean_shutdown()
            logger.critical("\(error)")
            throw error
        }
        // After the migrations: the switchboard reads a host table.
        let switchboard = try GuildSwitchboard(database: database)
        let healthProbe = HealthProbe(database: database, supervisor: supervisor, backups: configuration.backups,
                                      connection: ConnectionHealthSource(), startedAt: Date())
        let hostCommands = HostCommands(supervisor: supervisor, adminUserIDs: configuration.adminUserIDs,
                                        audit: AdminAuditLog(database: database), health: healthProbe,
                                        switchboard: switchboard, alerts: alerts, jobs: services.jobs, logger: logger) {
            try configuration.backups.create(from: database)
        }
        let router = InteractionRouter(
            table: table, cooldowns: CooldownBook(now: configuration.clock.monotonicSeconds), hostCommands: hostCommands,
            switchboard: switchboard, activity: services.activity, handlerTimeout: configuration.handlerTimeout,
            autoDeferAfter: autoDeferAfter, logger: logger
        )
        let autoload = await supervisor.autoload()
        let host = CogHost(configuration: configuration, database: database, lock: lock, supervisor: supervisor,
                           router: router, hostCommands: hostCommands, healthProbe: healthProbe, alerts: alerts,
                           services: services, logger: logger)
        return (host, StartupReport(previousCrash: previousCrash, quarantined: quarantined, migrations: migrations,
                                    autoload: autoload))
    }

    /// Every command definition the bot offers: the host's own and those of serving cogs.
    public func commandDefinitions() async -> [ApplicationCommand] {
        HostCommands.definitions + (await supervisor.servingCommands())
    }

    /// Installs what `/sync` calls: the connection to Discord pushes the definitions.
    public func setCommandSynchronizer(_ synchronizer: @escaping @Sendable (_ force: Bool) async throws -> String) {
        hostCommands.setSynchronizer(synchronizer)
    }

    /// Installs what reports the Discord connection's state (the bot runtime does, once the
    /// gateway starts).
    public func setConnectionHealthProvider(_ provider: @escaping @Sendable () -> ConnectionHealth) {
        healthProbe.connection.set(provider)
    }

    /// Installs who hears the host's ``HostAlert``s (failed reloads and backups), for example
    /// a notifier posting to an operations channel. The handler must return quickly.
    public func setAlertHandler(_ handler: @escaping @Sendable (HostAlert) -> Void) {
        alerts.set(handler)
    }

    /// Installs the Discord client cogs' service calls go through (`discord.send_message`, …):
    /// the bot runtime's REST client, or a recorder in the cog test harness. Until then those
    /// calls fail with a message saying the bot is not connected.
    public func setDiscordActions(_ actions: any CogDiscordActions) {
        services.discord.set(actions)
    }

    /// The Discord connection's state; `nil` while nothing is connected.
    public var connectionHealth: ConnectionHealth? { healthProbe.connection.current }

    /// Time since the host started; cheap, for liveness checks that must not touch the database.
    public var uptime: TimeInterval { Date().timeIntervalSince(healthProbe.startedAt) }

    /// The host's health now: readiness with its reasons, database, cogs, connection.
    public func health() async -> HostHealth {
        await healthProbe.snapshot()
    }

    /// Runs the host's periodic work until cancelled: call timeouts and automatic deferrals,
    /// the cogs' service calls and scheduled jobs, activity counts and database upkeep.
    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.services.calls.run(using: self.services) }
            group.addTask { try await self.jobs.run() }
            group.addTask { try await self.flushActivity() }
            group.addTask {
                while !Task.isCancelled {
                    CallMailboxes.shared.sweep()
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            group.addTask { try await self.maintainDatabase() }
            group.addTask { try await self.checkpointWAL() }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Writes the activity counts once a minute; a failure keeps them for the next minute.
    private func flushActivity() async throws {
        while !Task.isCancelled {
            try await Task.sleep(for: .seconds(60))
            do {
                try services.activity.flush()
            } catch {
                logger.warning("could not write the activity counts", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Checkpoints the WAL once it passes 4 MiB, on a thread of its own, so that no command's
    /// commit waits for the fsync a checkpoint does (see ``SQLiteDatabase/checkpoint()``).
    private func checkpointWAL() async throws {
        while !Task.isCancelled {
            try await Task.sleep(for: .milliseconds(500))
            guard database.walBytes > 4 << 20 else { continue }
            do {
                _ = try await BlockingWork.run("cogwheel-checkpoint") { [database] in try database.checkpoint() }
            } catch {
                logger.warning("WAL checkpoint failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// The database's periodic care: `PRAGMA optimize` and a WAL checkpoint every
    /// ``HostConfiguration/databaseMaintenanceInterval`` (with a VACUUM of a fragmented file
    /// when nobody has played for ``HostConfiguration/vacuumWhenIdleFor``), and a backup every
    /// ``HostConfiguration/backupInterval``. A failure is logged; the host keeps serving.
    private func maintainDatabase() async throws {
        let clock = ContinuousClock()
        var nextMaintenance = clock.now + configuration.databaseMaintenanceInterval
        var nextBackup = configuration.backupInterval.map { clock.now + $0 }
        while !Task.isCancelled {
            try await clock.sleep(until: min(nextMaintenance, nextBackup ?? nextMaintenance))
            if clock.now >= nextMaintenance {
                nextMaintenance = clock.now + configuration.databaseMaintenanceInterval
                do {
                    _ = try database.query("PRAGMA optimize")
                    _ = try database.query("PRAGMA wal_checkpoint(TRUNCATE)")
                    let idle = router.secondsSinceLastInteraction.map { Duration.seconds($0) } ?? .seconds(Int64.max / 2)
                    if idle >= configuration.vacuumWhenIdleFor {
                        let reclaimed = try await BlockingWork.run("cogwheel-vacuum") { [database] in
                            try database.vacuumIfFragmented()
                        }
                        if reclaimed > 0 { logger.notice("database vacuumed while idle", metadata: ["reclaimed_bytes": "\(reclaimed)"]) }
                    }
                } catch {
                    logger.warning("database maintenance failed", metadata: ["error": "\(error)"])
                }
            }
            if let due = nextBackup, clock.now >= due, let interval = configuration.backupInterval {
                nextBackup = clock.now + interval
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
    }

    /// Drains and stops every cog and records a clean shutdown.
    public func shutdown() async {
        await supervisor.shutdownAll()
        do {
            try services.activity.flush()
        } catch {
            logger.warning("could not write the activity counts", metadata: ["error": "\(error)"])
        }
        fr_mark_clean_shutdown()
        lock.withLock { $0 = nil }
        logger.notice("cog host stopped cleanly")
    }

    private static func openFlightRecorder(in directory: URL) throws -> CrashReport? {
        var previous = fr_record()
        var hadPrevious: Int32 = 0
        let path = directory.appendingPathComponent("flight-recorder.bin").path
        let status = fr_open(path, &previous, &hadPrevious)
        guard status == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path,
                             NSLocalizedDescriptionKey: "cannot open the flight recorder: \(String(cString: strerror(status)))"])
        }
        return hadPrevious != 0 ? CrashReport.fromPreviousRun(previous) : nil
    }
}
