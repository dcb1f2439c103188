import CSQLite
import Synchronization

/// The bounds on one cog's statements, so no cog's SQL can hold a thread, the writer or
/// memory for long: a time budget per statement (enforced by SQLite's progress handler),
/// SQLite's own limits on sizes and depths, and caps on what one result may return.
///
/// ```swift
/// let store = CogStore(cog: "xp", database: database)
/// try store.run("SELECT count(*) FROM xp__members", limits: CogSQLLimits(budget: .milliseconds(250)))
/// ```
public struct CogSQLLimits: Sendable, Equatable {
    /// How long one statement may run before it is interrupted.
    public var budget: Duration
    /// The most rows one statement may return.
    public var maxRows: Int
    /// The most bytes (text and blobs, 8 per number) one statement may return.
    public var maxBytes: Int

    /// The default for a statement run while answering an interaction.
    public static let interactionBudget: Duration = .milliseconds(250)
    /// The default for a statement run by a scheduled job.
    public static let jobBudget: Duration = .seconds(5)

    /// A cog's migration, at start-up after a backup: an index over a large table takes a while.
    public static let migration = CogSQLLimits(budget: .seconds(60))

    /// The most statements in one batch.
    public static let maxBatchStatements = 100

    public init(budget: Duration, maxRows: Int = 10_000, maxBytes: Int = 8 << 20) {
        self.budget = budget
        self.maxRows = maxRows
        self.maxBytes = maxBytes
    }

    /// `sqlite3_limit` values while a cog's statement is prepared and run: no string or blob
    /// over 100 KB (`randomblob(900000000)` fails at once instead of allocating 900 MB, and
    /// one call of a quadratic function such as `instr` stays far below the budget, which is
    /// checked only between the statement's steps), and statements of a size and shape a
    /// person writes. Larger values belong in the key–value store (up to 1 MiB).
    static let sqliteLimits: [(limit: Int32, value: Int32)] = [
        (SQLITE_LIMIT_LENGTH, 100_000),
        (SQLITE_LIMIT_SQL_LENGTH, 100_000),
        (SQLITE_LIMIT_COLUMN, 200),
        (SQLITE_LIMIT_EXPR_DEPTH, 100),
        (SQLITE_LIMIT_COMPOUND_SELECT, 50),
        (SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 200),
        (SQLITE_LIMIT_VARIABLE_NUMBER, 500),
        (SQLITE_LIMIT_FUNCTION_ARG, 32),
        (SQLITE_LIMIT_TRIGGER_DEPTH, 1),
    ]
}

/// Whose statements a connection runs: a cog's, under its policy and limits.
public struct CogPrincipal: Sendable, Equatable {
    public var cog: String
    public var limits: CogSQLLimits

    public init(cog: String, limits: CogSQLLimits) {
        self.cog = cog
        self.limits = limits
    }
}

/// One cog's statement budgets: one for statements run while it answers interactions, a
/// longer one while a scheduled job of it runs (a nightly report may scan a table).
///
/// The host cannot tell which of a cog's calls a statement belongs to (the cog calls back
/// synchronously from its own tasks), so while any job of the cog runs, its statements get the
/// job budget. Either way every statement is bounded.
public final class CogSQLBudgets: Sendable {
    public let interaction: Duration
    public let job: Duration
    private let jobsRunning = Atomic<Int>(0)

    public init(interaction: Duration = CogSQLLimits.interactionBudget, job: Duration = CogSQLLimits.jobBudget) {
        self.interaction = interaction
        self.job = job
    }

    /// The limits for the cog's next statement.
    public var limits: CogSQLLimits {
        CogSQLLimits(budget: jobsRunning.load(ordering: .relaxed) > 0 ? job : interaction)
    }

    /// Runs `body`, a job of the cog, with the job budget in force.
    public func whileJobRuns<T>(_ body: () async -> T) async -> T {
        jobsRunning.add(1, ordering: .relaxed)
        defer { jobsRunning.subtract(1, ordering: .relaxed) }
        return await body()
    }
}
