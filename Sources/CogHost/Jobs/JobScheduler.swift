import CCogABI
import CogWire
import Foundation
import Logging
import ServiceLifecycle
import Storage
import Synchronization

/// Runs the cogs' scheduled jobs: declared ones (cron, interval, one date) and the one-shot
/// runs cogs schedule themselves (`jobs.schedule`).
///
/// Every job's next run lives in `host_jobs`, so a restart resumes the schedule. A run that
/// is late (the bot was down) still runs if it is within the job's misfire grace; with
/// coalescing, all the runs missed collapse into one. A job never runs twice at once: a run
/// that falls due while the previous one is still going is skipped. Jobs belong to the cog,
/// not the generation: a reload keeps them (the next run calls the new generation), an
/// unload stops them.
///
/// As a ``Service`` it starts due runs until a graceful shutdown, then lets the runs in
/// progress finish before it returns.
public final class JobScheduler: Service {
    /// One row of `/jobs`.
    public struct Listing: Sendable, Equatable {
        public var cog: String
        public var job: String
        public var state: String
        public var schedule: String
        public var nextRun: Date?
        public var lastRun: Date?
        public var lastOutcome: String?
    }

    private struct Key: Hashable {
        var cog: String
        var job: String
        var state: String
    }

    private struct Registry {
        var definitions: [String: [String: JobDefinition]] = [:]
        var running: Set<Key> = []
    }

    private let database: SQLiteDatabase
    private let clock: HostClock
    private let table: RoutingTable
    private let calls: CallRegistry
    private let timeout: Duration
    private let logger: Logger
    private let registry = Mutex(Registry())

    /// Runs missed during one outage that are replayed one by one when a job does not coalesce.
    static let replayLimit = 100
    /// Missed runs counted for the handler's `missed`; beyond this the count stops.
    static let missedCountLimit = 10_000

    init(database: SQLiteDatabase, clock: HostClock, table: RoutingTable, calls: CallRegistry, timeout: Duration,
         logger: Logger) {
        self.database = database
        self.calls = calls
        self.clock = clock
        self.table = table
        self.timeout = timeout
        self.logger = logger
    }

    /// Makes `cog`'s declared jobs active (a load or a reload). A job whose schedule is
    /// unchanged keeps its stored next run, so one missed during a restart still runs.
    func register(cog: String, jobs: [JobDefinition]) throws {
        let now = clock.now()
        try database.transaction { scope in
            let stored = try scope.query("SELECT job, schedule FROM host_jobs WHERE cog = ? AND state = ''", [.text(cog)])
            let storedSchedules = Dictionary(stored.map { ($0["job"].text ?? "", $0["schedule"].text ?? "") },
                                             uniquingKeysWith: { first, _ in first })
            for job in jobs where job.schedule != .onDemand && storedSchedules[job.name] != job.schedule.fingerprint {
                _ = try scope.execute(
                    """
                    INSERT INTO host_jobs (cog, job, state, schedule, next_run) VALUES (?, ?, '', ?, ?)
                    ON CONFLICT (cog, job, state) DO UPDATE SET schedule = excluded.schedule, next_run = excluded.next_run
                    """,
                    [.text(cog), .text(job.name), .text(job.schedule.fingerprint),
                     job.schedule.next(after: now).map { .real($0.timeIntervalSince1970) } ?? .null]
                )
            }
            let declared = Set(jobs.filter { $0.schedule != .onDemand }.map(\.name))
            for name in storedSchedules.keys where !declared.contains(name) {
                _ = try scope.execute("DELETE FROM host_jobs WHERE cog = ? AND job = ? AND state = ''", [.text(cog), .text(name)])
            }
        }
        registry.withLock { $0.definitions[cog] = Dictionary(uniqueKeysWithValues: jobs.map { ($0.name, $0) }) }
    }

    /// Stops running `cog`'s jobs (an unload). Their rows stay, so loading the cog again resumes them.
    func unregister(cog: String) {
        registry.withLock { $0.definitions[cog] = nil }
    }

    /// Schedules one run of `cog`'s job `job` at `date`, carrying `state` (the `jobs.schedule`
    /// service). Scheduling the same job and state again moves the run.
    ///
    /// - Throws: ``ServiceError`` when the cog declares no such job.
    func schedule(cog: String, job: String, state: String, at date: Date) throws {
        guard registry.withLock({ $0.definitions[cog]?[job] }) != nil else {
            throw ServiceError(.badRequest, "cog \(cog) declares no job '\(job)'; declare it in the cog's jobs")
        }
        guard !state.isEmpty, state.utf8.count <= 200 else {
            throw ServiceError(.badRequest, "a scheduled run needs a state string of 1–200 bytes to tell it apart")
        }
        try database.execute(
            """
            INSERT INTO host_jobs (cog, job, state, schedule, next_run) VALUES (?, ?, ?, 'once', ?)
            ON CONFLICT (cog, job, state) DO UPDATE SET next_run = excluded.next_run
            """,
            [.text(cog), .text(job), .text(state), .real(date.timeIntervalSince1970)]
        )
    }

    /// Cancels a run scheduled with ``schedule(cog:job:state:at:)``; returns whether one was pending.
    func cancel(cog: String, job: String, state: String) throws -> Bool {
        try database.execute("DELETE FROM host_jobs WHERE cog = ? AND job = ? AND state = ? AND state != ''",
                             [.text(cog), .text(job), .text(state)]) > 0
    }

    /// The jobs of loaded cogs, soonest first.
    public func listing() throws -> [Listing] {
        let definitions = registry.withLock { $0.definitions }
        return try database.query("SELECT * FROM host_jobs ORDER BY next_run IS NULL, next_run, cog, job").compactMap { row in
            let cog = row["cog"].text ?? "", job = row["job"].text ?? ""
            guard let definition = definitions[cog]?[job] else { return nil }
            return Listing(cog: cog, job: job, state: row["state"].text ?? "",
                           schedule: (row["state"].text ?? "").isEmpty ? definition.schedule.summary : "once",
                           nextRun: row["next_run"].real.map(Date.init(timeIntervalSince1970:)),
                           lastRun: row["last_run"].real.map(Date.init(timeIntervalSince1970:)),
                           lastOutcome: row["last_outcome"].text)
        }
    }

    /// Runs every job due now and waits for them. The harness calls it after moving its clock;
    /// the bot's ``run()`` starts the same runs without waiting for them.
    public func runDue() async {
        let now = clock.now()
        let claims = claimDue(now: now)
        await withDiscardingTaskGroup { group in
            for claim in claims { group.addTask { await self.execute(claim, now: now) } }
        }
    }

    /// Starts due jobs, each beside the others, until a graceful shutdown or cancellation;
    /// then waits for the runs in progress. It looks at least once a second, so a run a cog just
    /// scheduled, or a jump of the wall clock, is seen within a second.
    public func run() async throws {
        // A manual clock only moves when a test advances it, and the test then calls runDue().
        if clock.isManual {
            try? await gracefulShutdown()   // or cancelled: either way, nothing to stop
            return
        }
        await withDiscardingTaskGroup { runs in
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                let now = clock.now()
                for claim in claimDue(now: now) { runs.addTask { await self.execute(claim, now: now) } }
                await sleepUnlessShuttingDown(for: untilNextLook())
            }
        }
    }

    /// How long until the soonest stored run, between 50 ms and a second.
    private func untilNextLook() -> Duration {
        let next: Double?
        do {
            next = try database.query("SELECT min(next_run) AS next FROM host_jobs").first?["next"].real
        } catch {
            logger.error("could not read the job schedule", metadata: ["error": "\(error)"])
            next = nil
        }
        let wait = min(1, max(0.05, (next ?? .infinity) - clock.now().timeIntervalSince1970))
        return .milliseconds(Int64(wait * 1000))
    }

    /// A due run this scheduler has marked running.
    private struct Claim: Sendable {
        var key: Key
        var definition: JobDefinition
        var scheduledFor: Date
    }

    /// The due runs of loaded cogs' jobs that are not running yet, marked running.
    private func claimDue(now: Date) -> [Claim] {
        let due: [(Key, Date)]
        do {
            due = try database.query("SELECT cog, job, state, next_run FROM host_jobs WHERE next_run <= ? ORDER BY next_run",
                                     [.real(now.timeIntervalSince1970)]).map {
                (Key(cog: $0["cog"].text ?? "", job: $0["job"].text ?? "", state: $0["state"].text ?? ""),
                 Date(timeIntervalSince1970: $0["next_run"].real ?? 0))
            }
        } catch {
            logger.error("could not read the job schedule", metadata: ["error": "\(error)"])
            return []
        }
        return registry.withLock { registry in
            due.compactMap { key, scheduledFor in
                guard let definition = registry.definitions[key.cog]?[key.job], !registry.running.contains(key) else { return nil }
                registry.running.insert(key)
                return Claim(key: key, definition: definition, scheduledFor: scheduledFor)
            }
        }
    }

    private func execute(_ claim: Claim, now: Date) async {
        await fire(claim.key, definition: claim.definition, scheduledFor: claim.scheduledFor, now: now)
        registry.withLock { _ = $0.running.remove(claim.key) }
    }

    private func fire(_ key: Key, definition: JobDefinition, scheduledFor: Date, now: Date) async {
        let oneShot = !key.state.isEmpty
        let schedule: JobSchedule = oneShot ? .onDemand : definition.schedule
        // The next run is stored before this one starts, so a crash during the run does not repeat it.
        let nextRun = schedule.next(after: now)
        let due = schedule.runs(from: scheduledFor, through: now, limit: Self.missedCountLimit)
        let missed = due.count - 1
        var runs = Array(due.prefix(Self.replayLimit))
        if let grace = definition.misfireGrace { runs = runs.filter { now.timeIntervalSince($0) <= grace } }
        if definition.coalesce, let last = runs.last { runs = [last] }
        do {
            if oneShot {
                try database.execute("DELETE FROM host_jobs WHERE cog = ? AND job = ? AND state = ?",
                                     [.text(key.cog), .text(key.job), .text(key.state)])
            } else {
                try database.execute("UPDATE host_jobs SET next_run = ? WHERE cog = ? AND job = ? AND state = ''",
                                     [nextRun.map { .real($0.timeIntervalSince1970) } ?? .null, .text(key.cog), .text(key.job)])
            }
        } catch {
            logger.error("could not store a job's next run; not running it", metadata: [
                "cog": "\(key.cog)", "job": "\(key.job)", "error": "\(error)",
            ])
            return
        }
        guard !runs.isEmpty else {
            logger.warning("job run skipped: later than its misfire grace", metadata: [
                "cog": "\(key.cog)", "job": "\(key.job)", "scheduled_for": "\(scheduledFor)",
                "grace_s": "\(definition.misfireGrace ?? 0)",
            ])
            record(key, outcome: "skipped: \(Int(now.timeIntervalSince(scheduledFor)))s late, past the misfire grace", at: now, oneShot: oneShot)
            return
        }
        for run in runs {
            let outcome = await call(key, scheduledFor: run, missed: definition.coalesce ? missed : 0)
            record(key, outcome: outcome, at: clock.now(), oneShot: oneShot)
        }
    }

    /// Calls the cog's current generation with a job request and waits for its answer.
    private func call(_ key: Key, scheduledFor: Date, missed: Int) async -> String {
        let bytes = JobRunDocument(job: key.job, state: key.state, scheduledFor: scheduledFor.timeIntervalSince1970,
                                   missed: missed).encoded()
        let answer = await table.withGeneration(cog: key.cog) { generation in
            // The cog's statements get the job budget while this runs.
            await generation.sqlBudgets.whileJobRuns {
                await generation.call(in: calls, kind: COG_REQUEST_JOB, route: key.job, payload: bytes, timeout: timeout,
                                      autoDeferAfter: nil) { (call: inout CallInFlight) in
                    let started = ContinuousClock.now
                    while true {
                        switch await call.next() {
                        case .deferRequested:
                            continue
                        case .completed(let status, let answer):
                            return outcome(of: key, status: status, answer: answer, after: ContinuousClock.now - started, missed: missed)
                        case .timedOut:
                            logger.error("job did not finish in time", metadata: ["cog": "\(key.cog)", "job": "\(key.job)"])
                            return "failed: no answer within \(timeout)"
                        }
                    }
                }
            }
        }
        return answer ?? "skipped: the cog is not loaded"
    }

    private func outcome(of key: Key, status: Int32, answer: [UInt8], after duration: Duration, missed: Int) -> String {
        let document = status == Int32(COG_OK.rawValue) ? ResponseDocument(answer: answer)
            : .error(message: nil, detail: "status \(status): \(String(decoding: answer.prefix(500), as: UTF8.self))")
        if case .error(let message, let detail) = document {
            logger.error("job failed", metadata: ["cog": "\(key.cog)", "job": "\(key.job)", "detail": "\(detail)"])
            return "failed: \(message ?? detail)"
        }
        logger.info("job ran", metadata: ["cog": "\(key.cog)", "job": "\(key.job)", "duration_ms": "\(duration.milliseconds)",
                                          "missed": "\(missed)"])
        return "ok (\(duration.milliseconds) ms)"
    }

    private func record(_ key: Key, outcome: String, at date: Date, oneShot: Bool) {
        guard !oneShot else { return }
        do {
            try database.execute("UPDATE host_jobs SET last_run = ?, last_outcome = ? WHERE cog = ? AND job = ? AND state = ''",
                                 [.real(date.timeIntervalSince1970), .text(outcome), .text(key.cog), .text(key.job)])
        } catch {
            logger.warning("could not record a job's outcome", metadata: ["job": "\(key.job)", "error": "\(error)"])
        }
    }
}
