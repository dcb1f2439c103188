import DiscordCache
import Foundation
import Storage

/// Settings of the cog host, read once at start-up.
public struct HostConfiguration: Sendable {
    /// Where the host keeps its state: loaded cog copies, the flight recorder, the state file.
    public var dataDirectory: URL
    /// Where built cogs are found, as `lib<name>.so`.
    public var cogsDirectory: URL
    /// Cogs to load at start-up when no autoload list was persisted yet; `nil` means every
    /// cog found in ``cogsDirectory``.
    public var autoload: [String]?
    /// Operators besides those Discord names (the application's owner, its team's admins and
    /// developers): users allowed the bot-wide commands such as `/reload`.
    public var adminUserIDs: Set<UInt64>
    /// Guilds where the operators' commands are registered; empty = wherever the other
    /// commands go, hidden from non-administrators by `default_member_permissions`.
    public var operatorGuilds: [UInt64] = []
    /// How long each cog statement may run, by default and per cog.
    public var sqlBudgets = SQLBudgetSettings()
    /// How long the audit log keeps its entries.
    public var auditRetention: Duration = .seconds(90 * 86_400)
    /// Cog images loaded in one process before a restart is recommended (each one costs memory
    /// and slows first-time dynamic casts; see DESIGN.md).
    public var reloadBudget: Int
    /// How long a reload waits for the old generation's in-flight calls before abandoning them.
    public var drainTimeout: Duration
    /// How long a cog may take to answer before the player is told it timed out.
    public var handlerTimeout: Duration
    /// How many members and recent messages the cache keeps (`COGWHEEL_CACHE_MEMBERS`, `COGWHEEL_CACHE_MESSAGES`).
    public var cacheLimits = GuildCache.Limits()
    /// Gateway events queued for one cog at most (`COGWHEEL_EVENT_QUEUE`); more are dropped and counted.
    public var eventQueueLimit = 1_000
    /// Capabilities the operator denies cogs whatever they declare (`COGWHEEL_DENY_CAPABILITIES`).
    public var capabilityDenials = CapabilityDenials()
    /// Each cog's share of the bot's REST budget (`COGWHEEL_COG_REST_SHARE`).
    public var restShares = RESTShareSettings()
    /// How many interactions are served at once before players are told the bot is busy.
    public var admission: InteractionAdmission.Limits = .standard
    /// Where backups go and how many are kept; `<dataDirectory>/backups` by default.
    public var backups: DatabaseBackup
    /// How often the running host makes a backup; daily by default, `nil` for never.
    public var backupInterval: Duration?
    /// How often the running host runs `PRAGMA optimize` and checkpoints the WAL.
    public var databaseMaintenanceInterval: Duration
    /// How long without interactions before the maintenance may VACUUM a fragmented database.
    public var vacuumWhenIdleFor: Duration

    /// The clock jobs and cooldowns read; the cog test harness passes a manual one.
    public var clock: HostClock = .system
    /// How long a scheduled job may run before it is counted as failed.
    public var jobTimeout: Duration = .seconds(600)

    /// The host's database file.
    public var databaseFile: URL { dataDirectory.appendingPathComponent("cogwheel.sqlite3") }

    /// - Parameters:
    ///   - dataDirectory: The host's state directory.
    ///   - cogsDirectory: Where built cogs are found; `<dataDirectory>/cogs` by default.
    ///   - autoload: Cogs to load at start-up; all found cogs by default.
    ///   - adminUserIDs: Operators besides the application's owner and team.
    ///   - reloadBudget: Images per process before a restart is recommended.
    ///   - drainTimeout: Bound on waiting for an old generation's calls.
    ///   - handlerTimeout: Bound on one cog call.
    public init(
        dataDirectory: URL,
        cogsDirectory: URL? = nil,
        autoload: [String]? = nil,
        adminUserIDs: Set<UInt64> = [],
        reloadBudget: Int = 200,
        drainTimeout: Duration = .seconds(10),
        handlerTimeout: Duration = .seconds(60)
    ) {
        self.dataDirectory = dataDirectory
        self.cogsDirectory = cogsDirectory ?? dataDirectory.appendingPathComponent("cogs")
        self.autoload = autoload
        self.adminUserIDs = adminUserIDs
        self.reloadBudget = reloadBudget
        self.drainTimeout = drainTimeout
        self.handlerTimeout = handlerTimeout
        self.backups = DatabaseBackup(directory: dataDirectory.appendingPathComponent("backups"))
        self.backupInterval = .seconds(24 * 3600)
        self.databaseMaintenanceInterval = .seconds(3600)
        self.vacuumWhenIdleFor = .seconds(600)
    }

    /// The library file of cog `name` in ``cogsDirectory``.
    public func libraryPath(forCog name: String) -> URL {
        cogsDirectory.appendingPathComponent("lib\(name).so")
    }
}

/// The time budgets of cogs' statements: a default for interactions and one for jobs, each
/// with per-cog overrides (`COGWHEEL_SQL_BUDGET_MS=250,gazette=1000`).
public struct SQLBudgetSettings: Sendable, Equatable {
    public var interaction: Duration = CogSQLLimits.interactionBudget
    public var job: Duration = CogSQLLimits.jobBudget
    public var interactionByCog: [String: Duration] = [:]
    public var jobByCog: [String: Duration] = [:]

    public init() {}

    /// The budgets of cog `cog`'s statements.
    func budgets(for cog: String) -> CogSQLBudgets {
        CogSQLBudgets(interaction: interactionByCog[cog] ?? interaction, job: jobByCog[cog] ?? job)
    }
}
