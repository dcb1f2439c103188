@testable import CogHost
import Foundation
import Testing

@Suite("Cron expressions and job schedules")
struct CronExpressionTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let paris = TimeZone(identifier: "Europe/Paris")!

    /// A wall-clock time in `zone`.
    static func date(_ text: String, _ zone: TimeZone = utc) -> Date {
        JobDefinition.localDate(text, in: zone)!
    }

    static func next(_ expression: String, after text: String, _ zone: TimeZone = utc) throws -> Date? {
        try CronExpression(parsing: expression).nextFire(after: date(text, zone), in: zone)
    }

    @Test("fields, ranges, steps, lists, names and shortcuts find the next minute")
    func nextRuns() throws {
        #expect(try Self.next("*/15 * * * *", after: "2026-01-05T08:07") == Self.date("2026-01-05T08:15"))
        #expect(try Self.next("0 9 * * *", after: "2026-01-05T09:00") == Self.date("2026-01-06T09:00"), "strictly after")
        #expect(try Self.next("30 9 * * MON-FRI", after: "2026-01-09T10:00") == Self.date("2026-01-12T09:30"), "Friday → Monday")
        #expect(try Self.next("0 0 1,15 * *", after: "2026-01-02T00:00") == Self.date("2026-01-15T00:00"))
        #expect(try Self.next("0-30/10 12 * JAN *", after: "2026-01-05T12:21") == Self.date("2026-01-05T12:30"))
        #expect(try Self.next("@hourly", after: "2026-01-05T08:07") == Self.date("2026-01-05T09:00"))
        #expect(try Self.next("@weekly", after: "2026-01-05T08:00") == Self.date("2026-01-11T00:00"), "Sundays")
        #expect(try Self.next("0 0 * * 7", after: "2026-01-05T08:00") == Self.date("2026-01-11T00:00"), "7 is Sunday too")
        #expect(try Self.next("0 0 29 2 *", after: "2026-03-01T00:00") == Self.date("2028-02-29T00:00"), "next leap day")
        #expect(try Self.next("0 0 30 2 *", after: "2026-01-01T00:00") == nil, "never")
    }

    @Test("day of month and day of week restricted together match either, as in Vixie cron")
    func dayOrWeekday() throws {
        // The 13th, or any Friday: Friday 9 January comes first.
        #expect(try Self.next("0 0 13 * FRI", after: "2026-01-05T00:00") == Self.date("2026-01-09T00:00"))
    }

    @Test("times are wall-clock times in the job's zone, across daylight saving")
    func timeZones() throws {
        let winter = try #require(try Self.next("0 9 * * *", after: "2026-01-05T10:00", Self.paris))
        #expect(winter == Self.date("2026-01-06T08:00"), "09:00 in Paris is 08:00 UTC in winter")
        let summer = try #require(try Self.next("0 9 * * *", after: "2026-07-05T10:00", Self.paris))
        #expect(summer == Self.date("2026-07-06T07:00"), "and 07:00 UTC in summer")
        // 29 March 2026: Paris skips 02:00–03:00. A 02:30 job skips that day.
        #expect(try Self.next("30 2 * * *", after: "2026-03-28T12:00", Self.paris) == Self.date("2026-03-30T02:30", Self.paris))
    }

    @Test("errors name the field and the column", arguments: [
        ("0 25 * * *", 3, "hour 25 is outside 0–23"),
        ("*/0 * * * *", 3, "minute step '0' must be a positive number"),
        ("0 9 * * MON-XYZ", 13, "day of week 'XYZ' is not a number or a name like SUN"),
        ("0 9 * *", 8, "has 4 fields; expected 5"),
        ("0 9 1,32 * *", 7, "day of month 32 is outside 1–31"),
        ("0 9 5-1 * *", 5, "day of month range 5-1 runs backwards"),
        ("@fortnightly", 1, "unknown shortcut"),
    ])
    func errors(expression: String, column: Int, problem: String) {
        #expect(throws: CronError.self) { try CronExpression(parsing: expression) }
        do {
            _ = try CronExpression(parsing: expression)
        } catch {
            #expect(error.column == column, "\(error)")
            #expect(error.problem.contains(problem), "\(error)")
            #expect(error.description.hasPrefix("cron '\(expression)': column \(column):"))
        }
    }

    @Test("a cog declaring a bad schedule is refused at load, naming the job, the field and the column")
    func manifestRefusal() throws {
        let bad = CogManifest(commands: [], jobs: [.init(name: "digest", cron: "0 25 * * *")])
        #expect(throws: ManifestProblem(field: "jobs[0].cron", problem: "is invalid: cron '0 25 * * *': column 3: hour 25 is outside 0–23")) {
            try ManifestValidator.validate(bad)
        }
        let zone = CogManifest(commands: [], jobs: [.init(name: "digest", cron: "@daily", timeZone: "Mars/Olympus")])
        #expect(throws: ManifestProblem(field: "jobs[0].time_zone", problem: "'Mars/Olympus' is not an IANA time zone (e.g. Europe/Paris)")) {
            try ManifestValidator.validate(zone)
        }
        let twice = CogManifest(commands: [], jobs: [.init(name: "a", everySeconds: 60), .init(name: "a", cron: "@daily")])
        #expect(throws: ManifestProblem.self) { try ManifestValidator.validate(twice) }
        let both = CogManifest(commands: [], jobs: [.init(name: "a", cron: "@daily", everySeconds: 60)])
        #expect(throws: ManifestProblem(field: "jobs[0]", problem: "declares more than one of cron, every_seconds and at")) {
            try ManifestValidator.validate(both)
        }
    }

    @Test("missed runs are listed up to the end of the outage, for replay without coalescing")
    func missedRuns() throws {
        let hourly = JobSchedule.interval(seconds: 3600)
        let start = Self.date("2026-01-05T08:00")
        let runs = hourly.runs(from: start, through: start.addingTimeInterval(3 * 3600 + 60), limit: 100)
        #expect(runs.count == 4)
        #expect(hourly.runs(from: start, through: start.addingTimeInterval(1000 * 3600), limit: 100).count == 100)
        #expect(JobSchedule.once(start, timeZone: Self.utc).next(after: start) == nil)
    }
}
