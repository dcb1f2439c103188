import CHostSupport
import DiscordCache
import DiscordModels
import Foundation
import Logging
import ServiceLifecycle
import Storage
import Synchronization

/// The cog host: owns the supervisor, the router and the crash flight recorder, and runs as
/// one ``Service``: the cogs' service calls, their scheduled jobs and the database's upkeep.
///
/// ```swift
/// let (host, startup) = try await CogHost.start(configuration: configuration, links: links, logger: logger)
/// let group = ServiceGroup(services: [host, bot], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()      // on SIGTERM: jobs stop, cogs drain, counters are flushed
/// ```
///
/// What the host reaches outside itself (Discord's REST client, command publishing, the
/// gateway's health, the operators) is given to ``start(configuration:links:autoDeferAfter:logger:)``
/// as ``Links``; nothing is installed later.
///
/// One host per process: the flight recorder and crash handlers are process-wide.
public final class CogHost: Service {
    /// What the host reaches outside itself. Each is optional: a host without them (the
    /// `--events` mode, tests) serves interactions and refuses what needs the missing part.
    public struct Links: Sendable {
        /// The Discord client cogs' actions go through (`discord.send_message`, …).
        public var discord: (any CogDiscordActions)?
        /// Where command definitions are published at start-up, after changes and on `/sync`.
        public var commands: (any CommandPublisher)?
        /// Reports the gateway connection for `/health`, `/ready` and the heartbeat file.
        public var connectionHealth: (@Sendable () -> ConnectionHealth?)?
        /// Hears failed reloads and backups (the operator notifier). It must return quickly.
        public var alerts: (@Sendable (HostAlert) -> Void)?
        /// Asks Discord for the bot's application, whose owner and team are operators.
        public var application: (@Sendable () async throws -> DiscordApplication)?

        public init(
            discord: (any CogDiscordActions)? = nil, commands: (any CommandPublisher)? = nil,
            connectionHealth: (@Sendable () -> ConnectionHealth?)? = nil, alerts: (@Sendable (HostAlert) -> Void)? = nil,
            application: (@Sendable () async throws -> DiscordApplication)? = nil
        ) {
            self.discord = discord
            self.commands = commands
            self.application = application
            self.connectionHealth = connectionHealth
            self.alerts = alerts
        }
    }

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
    /// Gateway events to the cogs that listen to them.
    public let events: CogEventDelivery
    /// What the host knows of Discord, kept from the gateway's events; cogs read it through `cache.*`.
    public var cache: GuildCache { services.cache }
    /// The intents the gateway session identified with, once it has.
    public let sessionIntents: SessionIntents

    /// Takes one gateway dispatch other than INTERACTION_CREATE: updates the cache first, so a
    /// listener's lookups are at least as new as its event (a removal is already applied: a
    /// GUILD_MEMBER_REMOVE listener finds no member), then queues it for the cogs that listen.
    /// Returns at once.
    public func hear(event: String, payload: ArraySlice<UInt8>, shard: Int) {
        cache.apply(event: event, payload: payload)
        events.deliver(event: event, payload: payload, shard: shard)
    }

    /// Returns once no event is queued or being delivered and no service call is outstanding:
    /// what a test harness waits for before it looks at what the cogs did.
    public func settled() async {
        await events.settled()
        await services.calls.settled()
    }
    let services: CogServiceProviders
    /// The cog calls in flight and their deadlines.
    private let calls: CallRegistry
    /// Who runs the bot; asks Discord on start and hourly.
    private let operators: BotOperators
    private let healthProbe: HealthProbe
    private let alerts: HostAlerts
    private let upkeep: DatabaseUpkeep
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
        router: InteractionRouter, operators: BotOperators, audit: AdminAuditLog,
        healthProbe: HealthProbe, alerts: HostAlerts, services: CogServiceProviders, calls: CallRegistry,
        events: CogEventDelivery, sessionIntents: SessionIntents, logger: Logger
    ) {
        self.events = events
        self.sessionIntents = sessionIntents
        self.operators = operators
        self.services = services
        self.calls = calls
        self.jobs = services.jobs
        self.healthProbe = healthProbe
        self.alerts = alerts
        self.configuration = configuration
        self.database = database
        self.lock = Mutex(lock)
        self.supervisor = supervisor
        self.router = router
        self.logger = logger
        self.upkeep = DatabaseUpkeep(configuration: configuration, database: database, activity: services.activity,
                                     audit: audit, writability: healthProbe.writability, router: router, alerts: alerts, logger: logger)
    }

    /// Opens the data directory and the database, reads how the previous run ended, quarantines
    /// cogs blamed for a crash, runs pending migrations (host and autoloaded cogs, after a
    /// backup; see ``StartupMigrations``) and autoloads the cogs.
    ///
    /// - Throws: ``StartupMigrationError`` when a migration fails: the host must not start.
    ///
    /// - Parameters:
    ///   - links: What the host reaches outside itself; nothing by default.
    ///   - autoDeferAfter: Defer an interaction whose cog has not answered by then.
    public static func start(
        configuration: HostConfiguration, links: Links = Links(), autoDeferAfter: Duration? = .milliseconds(2500),
        logger: Logger
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
        let alerts = HostAlerts(handler: links.alerts)
        let calls = CallRegistry.make()
        let services = CogServiceProviders(
            database: database, discord: links.discord,
            jobs: JobScheduler(database: database, clock: configuration.clock, table: table, calls: calls,
                               timeout: configuration.jobTimeout, logger: logger),
            activity: ActivityCounters(database: database, clock: configuration.clock),
            cache: GuildCache(limits: configuration.cacheLimits), reach: CogReach(), denials: configuration.capabilityDenials,
            shares: configuration.restShares, clock: configuration.clock
        )
        let sessionIntents = SessionIntents()
        let supervisor = CogSupervisor(
            configuration: configuration, database: database, table: table, state: try stateStore.read(),
            sessionIntents: sessionIntents,
            stateStore: stateStore, reservedCommands: HostCommands.names, services: services, alerts: alerts,
            commandSync: links.commands.map { CommandSync(publisher: $0, database: database, logger: logger) }, logger: logger
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
        services.limitCacheReads(switchboard: switchboard, table: table)
        let writability = DatabaseWritability()
        writability.probe(database)
        let healthProbe = HealthProbe(database: database, cache: services.cache, supervisor: supervisor, backups: configuration.backups,
                                      connection: links.connectionHealth, draining: DrainState(), writability: writability,
                                      startedAt: Date())
        let operators = BotOperators(configured: configuration.adminUserIDs, application: links.application, logger: logger)
        let audit = AdminAuditLog(database: database, retention: configuration.auditRetention)
        let hostCommands = HostCommands(supervisor: supervisor, operators: operators, audit: audit, health: healthProbe,
                                        switchboard: switchboard, alerts: alerts, jobs: services.jobs, logger: logger) {
            try configuration.backups.create(from: database)
        }
        table.install(builtIn: hostCommands, commands: HostCommands.names)
        let cogCalls = CogInteractionCalls(
            cooldowns: CooldownBook(now: configuration.clock.monotonicSeconds), switchboard: switchboard, registry: calls,
            handlerTimeout: configuration.handlerTimeout, autoDeferAfter: autoDeferAfter, reach: services.reach,
            denials: configuration.capabilityDenials, logger: logger
        )
        let router = InteractionRouter(table: table, calls: cogCalls, activity: services.activity,
                                       admission: configuration.admission, logger: logger)
        let events = CogEventDelivery(table: table, switchboard: switchboard, sessionIntents: sessionIntents, calls: calls,
                                      reach: services.reach,
                                      queueLimit: configuration.eventQueueLimit,
                                      timeout: configuration.handlerTimeout, logger: logger)
        let autoload = await supervisor.autoload()
        let host = CogHost(configuration: configuration, database: database, lock: lock, supervisor: supervisor,
                           router: router, operators: operators, audit: audit,
                           healthProbe: healthProbe, alerts: alerts, services: services, calls: calls,
                           events: events, sessionIntents: sessionIntents, logger: logger)
        return (host, StartupReport(previousCrash: previousCrash, quarantined: quarantined, migrations: migrations,
                                    autoload: autoload))
    }

    /// The intents the serving cogs need (their events' and declared ones), by cog, for
    /// IDENTIFY and for naming the cogs behind a refused privileged intent.
    public func cogIntents() -> [(cog: String, intents: GatewayIntents)] {
        supervisor.servingIntents()
    }

    /// Every command definition the bot offers: the host's own and those of serving cogs.
    public func commandDefinitions() async -> [ApplicationCommand] {
        HostCommands.definitions.operators + HostCommands.definitions.guildManagers + (await supervisor.servingCommands())
    }

    /// Publishes the command definitions when they changed since the last sync (or always
    /// with `force`); `nil` when the host has no ``Links/commands``.
    @discardableResult
    public func syncCommands(force: Bool = false) async throws -> CommandSync.Report? {
        try await supervisor.syncCommands(force: force)
    }

    /// The Discord connection's state; `nil` while nothing is connected.
    public var connectionHealth: ConnectionHealth? { healthProbe.connection?() }

    /// Time since the host started; cheap, for liveness checks that must not touch the database.
    public var uptime: TimeInterval { Date().timeIntervalSince(healthProbe.startedAt) }

    /// The host's health now: readiness with its reasons, database, cogs, connection.
    public func health() async -> HostHealth {
        await healthProbe.snapshot()
    }

    /// Says from now on that the host is shutting down: `/ready` answers 503 "shutting down"
    /// while the rest drains. The first step of a graceful shutdown.
    public func beginDraining() {
        healthProbe.draining.begin()
    }

    /// Serves until a graceful shutdown (or cancellation): the cogs' service calls, their
    /// scheduled jobs, call deadlines and the database's upkeep.
    ///
    /// A graceful shutdown stops them in reverse: no new job runs start and running ones
    /// finish; the cogs drain and shut down (their calls' deadlines and service calls still
    /// served); the queue of service calls ends; the activity counters are written and the
    /// shutdown is recorded as clean. A cancelled run does none of that; call ``shutdown()`` then.
    public func run() async throws {
        let group = ServiceGroup(
            // Stopped in reverse: jobs and events end before the cogs drain.
            services: [upkeep, services, calls, operators, CogDrain(supervisor: supervisor), events, jobs],
            logger: logger
        )
        var failure: (any Error)?
        do {
            try await group.run()
        } catch {
            failure = error
        }
        // Also when a graceful shutdown ran past its bound and was escalated to cancellation:
        // the cogs are still shut down and the stop recorded as clean.
        if Task.isShuttingDownGracefully { await shutdown() }
        if let failure, !(failure is CancellationError) { throw failure }
    }

    /// Drains and stops every cog, writes the activity counts and records a clean shutdown.
    /// Safe to call more than once.
    public func shutdown() async {
        await supervisor.shutdownAll()
        do {
            try services.activity.flush()
        } catch {
            logger.warning("could not write the activity counts", metadata: ["error": "\(error)"])
        }
        do {
            // Everything in the main file, so the next start (or a copy of the directory) needs no WAL.
            _ = try database.query("PRAGMA wal_checkpoint(TRUNCATE)")
        } catch {
            logger.warning("could not checkpoint the database at shutdown", metadata: ["error": "\(error)"])
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
