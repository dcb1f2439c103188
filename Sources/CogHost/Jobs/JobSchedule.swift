import Foundation

/// When a job runs: a cron expression in a time zone, a fixed interval, one date, or only
/// when the cog schedules it (``JobScheduler/schedule(cog:job:state:at:)``).
public enum JobSchedule: Sendable, Equatable {
    case cron(CronExpression, source: String, timeZone: TimeZone)
    case interval(seconds: Double)
    case once(Date, timeZone: TimeZone)
    case onDemand

    /// The next run strictly after `date`; `nil` when the schedule has no further run.
    func next(after date: Date) -> Date? {
        switch self {
        case .cron(let expression, _, let timeZone): expression.nextFire(after: date, in: timeZone)
        case .interval(let seconds): date.addingTimeInterval(seconds)
        case .once(let at, _): at > date ? at : nil
        case .onDemand: nil
        }
    }

    /// Runs missed between `start` (a due run) and `end`, `start` included, at most `limit`.
    func runs(from start: Date, through end: Date, limit: Int) -> [Date] {
        var runs = [start]
        while runs.count < limit, let next = next(after: runs[runs.count - 1]), next <= end { runs.append(next) }
        return runs
    }

    /// How `/jobs` shows it: `0 9 * * * (Europe/Paris)`, `every 10m`, `once`, `when scheduled`.
    var summary: String {
        switch self {
        case .cron(_, let source, let timeZone): "\(source) (\(Self.name(of: timeZone)))"
        case .interval(let seconds): "every \(Self.duration(seconds))"
        case .once(_, let timeZone): "once (\(Self.name(of: timeZone)))"
        case .onDemand: "when scheduled"
        }
    }

    /// A key that changes whenever the schedule does, stored next to the job's next run.
    var fingerprint: String {
        switch self {
        case .cron(_, let source, let timeZone): "cron \(source) \(timeZone.identifier)"
        case .interval(let seconds): "every \(seconds)"
        case .once(let at, _): "once \(at.timeIntervalSince1970)"
        case .onDemand: "on demand"
        }
    }

    /// Foundation names UTC "GMT"; admins wrote UTC.
    private static func name(of timeZone: TimeZone) -> String {
        timeZone.identifier == "GMT" ? "UTC" : timeZone.identifier
    }

    private static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds)
        if whole % 86_400 == 0 { return "\(whole / 86_400)d" }
        if whole % 3600 == 0 { return "\(whole / 3600)h" }
        if whole % 60 == 0 { return "\(whole / 60)m" }
        return "\(whole)s"
    }
}

/// A job a cog declared, checked: its schedule parsed, its time zone known.
public struct JobDefinition: Sendable, Equatable {
    public let name: String
    public let schedule: JobSchedule
    /// How late a run may start and still run; `nil` for no limit.
    public let misfireGrace: Double?
    /// Whether runs missed during downtime collapse into one.
    public let coalesce: Bool

    /// Checks a manifest declaration; `field` names it in errors (`jobs[0]`).
    ///
    /// - Throws: ``ManifestProblem`` naming the field: an unknown time zone, a cron expression
    ///   with the column of its error, an unreadable date, or a schedule that never runs.
    init(_ declaration: CogManifest.JobDeclaration, field: String, now: Date) throws(ManifestProblem) {
        guard (1...64).contains(declaration.name.count),
              declaration.name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw ManifestProblem(field: "\(field).name", problem: "'\(declaration.name)' must be 1–64 letters, digits, '-' or '_'")
        }
        let zoneName = declaration.timeZone ?? "UTC"
        guard let timeZone = TimeZone(identifier: zoneName) else {
            throw ManifestProblem(field: "\(field).time_zone", problem: "'\(zoneName)' is not an IANA time zone (e.g. Europe/Paris)")
        }
        let declared = [declaration.cron != nil, declaration.everySeconds != nil, declaration.at != nil].filter { $0 }.count
        guard declared <= 1 else {
            throw ManifestProblem(field: field, problem: "declares more than one of cron, every_seconds and at")
        }
        if let source = declaration.cron {
            let expression: CronExpression
            do {
                expression = try CronExpression(parsing: source)
            } catch {
                throw ManifestProblem(field: "\(field).cron", problem: "is invalid: \(error)")
            }
            guard expression.nextFire(after: now, in: timeZone) != nil else {
                throw ManifestProblem(field: "\(field).cron", problem: "'\(source)' never fires")
            }
            schedule = .cron(expression, source: source, timeZone: timeZone)
        } else if let seconds = declaration.everySeconds {
            guard seconds >= 1 else { throw ManifestProblem(field: "\(field).every_seconds", problem: "must be at least 1") }
            schedule = .interval(seconds: seconds)
        } else if let at = declaration.at {
            guard let date = Self.localDate(at, in: timeZone) else {
                throw ManifestProblem(field: "\(field).at", problem: "'\(at)' is not a local date and time like 2026-12-31T23:59")
            }
            schedule = .once(date, timeZone: timeZone)
        } else {
            schedule = .onDemand
        }
        if let grace = declaration.misfireGraceSeconds, grace < 0 {
            throw ManifestProblem(field: "\(field).misfire_grace_seconds", problem: "must not be negative")
        }
        name = declaration.name
        misfireGrace = declaration.misfireGraceSeconds
        coalesce = declaration.coalesce ?? true
    }

    /// `2026-12-31T23:59` or `2026-12-31T23:59:30`, read as a wall-clock time in `timeZone`.
    static func localDate(_ text: String, in timeZone: TimeZone) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        for format in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
