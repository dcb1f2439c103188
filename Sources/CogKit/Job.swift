internal import CogWire
import Foundation

/// A scheduled job of a cog: the host runs its handler on a schedule, or when the cog asks
/// (``ScheduledRuns/schedule(_:at:state:)``).
///
/// The host keeps each job's next run in its database, so a restart resumes the schedule.
/// A run missed while the bot was down still runs if it is within `misfireGrace`; with
/// `coalesce` (the default), all the runs missed collapse into one, so a daily post runs
/// once after a long outage, not once per missed day. A job never runs twice at once. Jobs
/// belong to the cog: after a reload the next run calls the new generation.
///
/// ```swift
/// static var jobs: [Job<Gazette>] {
///     [
///         Job("digest", schedule: .cron("0 9 * * *", timeZone: "Europe/Paris")) { cog, context in
///             try await cog.postDigests(context)
///         },
///         Job("close") { cog, context in          // scheduled by the cog, with a state
///             try await cog.closePoll(id: context.state, context)
///         },
///     ]
/// }
/// ```
///
/// The host checks schedules when it loads the cog: a bad cron expression or time zone
/// refuses the load, naming the job and the column of the error.
public struct Job<C: Cog>: Sendable {
    /// Runs one job run.
    public typealias Handler = @Sendable (C, JobContext) async throws -> Void

    /// When a job runs.
    public enum Schedule: Sendable {
        /// A five-field cron expression (`"30 9 * * MON-FRI"`, `"@daily"`) in an IANA time zone.
        case cron(String, timeZone: String = "UTC")
        /// Every `interval`, counted from the previous run.
        case every(Duration)
        /// Once, at a local date and time (`"2026-12-31T23:59"`) in an IANA time zone.
        case once(String, timeZone: String = "UTC")
    }

    /// The job's name, unique in the cog: 1–64 letters, digits, `-` or `_`.
    public let name: String
    /// `nil` for a job that runs only when the cog schedules it.
    public let schedule: Schedule?
    /// How late a run may start and still run; `nil` (the default) for no limit.
    public let misfireGrace: Duration?
    /// Whether runs missed during downtime collapse into one run.
    public let coalesce: Bool
    let handler: Handler

    /// - Parameters:
    ///   - name: Unique in the cog.
    ///   - schedule: When it runs; `nil` for runs the cog schedules itself.
    ///   - misfireGrace: The latest a missed run may still start; no limit by default.
    ///   - coalesce: Collapse runs missed during downtime into one (the default).
    ///   - handler: The work; a thrown error is logged and shown in `/jobs`.
    public init(_ name: String, schedule: Schedule? = nil, misfireGrace: Duration? = nil, coalesce: Bool = true,
                handler: @escaping Handler) {
        self.name = name
        self.schedule = schedule
        self.misfireGrace = misfireGrace
        self.coalesce = coalesce
        self.handler = handler
    }

    /// The job as the manifest declares it.
    var declaration: ManifestDocument.Job {
        var job = ManifestDocument.Job(name: name, misfireGraceSeconds: misfireGrace?.seconds, coalesce: coalesce)
        switch schedule {
        case .cron(let expression, let timeZone)?:
            job.cron = expression
            job.timeZone = timeZone
        case .every(let interval)?:
            job.everySeconds = interval.seconds
        case .once(let date, let timeZone)?:
            job.at = date
            job.timeZone = timeZone
        case nil:
            break
        }
        return job
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// What a job's handler knows about its run, and the services it may use.
public final class JobContext: Sendable {
    /// The job's name.
    public let job: String
    /// The state string it was scheduled with (empty for a job on a schedule).
    public let state: String
    /// When this run was due.
    public let scheduledFor: Date
    /// Runs missed during downtime and folded into this one (coalescing).
    public let missedRuns: Int
    /// Writes to the host's log, attributed to this cog.
    public let logger: CogLogger
    /// The cog's key–value entries and tables.
    public let storage: CogStorage
    /// Posts and changes the cog's own messages.
    public let discord: DiscordClient
    /// Schedules or cancels runs of the cog's jobs.
    public let jobs: ScheduledRuns
    /// The guilds' activity counters kept by the host.
    public let activity: GuildActivity
    /// What the host knows of Discord: guilds, channels, roles, members, permissions, messages.
    public let cache: CacheLookup

    init(payload: [UInt8], host: HostServices?, cog: String) throws(WireError) {
        let run = try JobRunDocument(scanning: payload)
        job = run.job
        state = run.state
        scheduledFor = Date(timeIntervalSince1970: run.scheduledFor)
        missedRuns = run.missed
        logger = CogLogger(host: host)
        storage = CogStorage(host: host)
        discord = DiscordClient(host: host, cog: cog)
        jobs = ScheduledRuns(host: host)
        activity = GuildActivity(host: host)
        cache = CacheLookup(host: host)
    }
}

/// Schedules one-off runs of the cog's jobs, kept by the host across reloads and restarts.
///
/// ```swift
/// try await context.jobs.schedule("close", at: closesAt, state: String(pollID))
/// try await context.jobs.cancel("close", state: String(pollID))
/// ```
public struct ScheduledRuns: Sendable {
    let host: HostServices?

    /// Runs job `job` at `date` with `state` (1–200 bytes that tell runs apart, e.g. an id).
    /// Scheduling the same job and state again moves the run.
    public func schedule(_ job: String, at date: Date, state: String) async throws {
        _ = try await schedule(job, state: state, when: .at(date.timeIntervalSince1970))
    }

    /// Runs job `job` once `delay` has passed on the host's clock (the harness's virtual clock
    /// in tests), with `state`. Returns when it will run, for showing to players.
    ///
    /// ```swift
    /// let closesAt = try await context.jobs.schedule("close", after: .seconds(3600), state: String(pollID))
    /// ```
    @discardableResult
    public func schedule(_ job: String, after delay: Duration, state: String) async throws -> Date {
        try await schedule(job, state: state, when: .after(seconds: delay.seconds))
    }

    private func schedule(_ job: String, state: String, when: ServiceRequest.RunTime) async throws -> Date {
        let answer = try await host.call(.scheduleJob(job: job, state: state, when: when), answer: ScheduledRunAnswer.self)
        return Date(timeIntervalSince1970: answer.at)
    }

    /// Cancels a run scheduled with ``schedule(_:at:state:)``; returns whether one was pending.
    @discardableResult
    public func cancel(_ job: String, state: String) async throws -> Bool {
        try await host.call(.cancelJob(job: job, state: state), answer: CancelledRunAnswer.self).cancelled
    }
}

/// What the host counted in a guild on one day (UTC): commands answered and who played.
///
/// ```swift
/// let day = try await context.activity.report(for: guildID)     // yesterday
/// print("\(day.commands) commands by \(day.players) players")
/// ```
public struct GuildActivity: Sendable {
    let host: HostServices?

    /// One day's counts.
    public struct Report: Sendable, Equatable {
        /// `YYYY-MM-DD`, UTC.
        public let day: String
        /// Commands answered.
        public let commands: Int
        /// Distinct members who ran them.
        public let players: Int
        /// The most used commands (`/roll`), most used first, at most 10.
        public let top: [(command: String, uses: Int)]

        public static func == (lhs: Report, rhs: Report) -> Bool {
            lhs.day == rhs.day && lhs.commands == rhs.commands && lhs.players == rhs.players
                && lhs.top.map(\.command) == rhs.top.map(\.command) && lhs.top.map(\.uses) == rhs.top.map(\.uses)
        }
    }

    /// The counts of `guild` on `day`: `"yesterday"` (the default), `"today"` or `YYYY-MM-DD`,
    /// days in UTC on the host's clock.
    public func report(for guild: Snowflake, day: String? = nil) async throws -> Report {
        let answer = try await host.call(.guildActivity(guild: guild.rawValue, day: day), answer: GuildActivityAnswer.self)
        return Report(day: answer.day, commands: Int(answer.commands), players: Int(answer.players),
                      top: answer.top.map { (command: $0.command, uses: Int($0.uses)) })
    }
}
