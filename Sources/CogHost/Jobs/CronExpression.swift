import Foundation

/// A five-field cron expression (minute, hour, day of month, month, day of week) with ranges
/// (`1-5`), steps (`*/15`, `0-30/10`), lists (`1,15`), month and weekday names (`JAN`, `MON`)
/// and the shortcuts `@hourly`, `@daily` (`@midnight`), `@weekly`, `@monthly`, `@yearly`.
///
/// As in Vixie cron, when both the day of month and the day of week are restricted, a day
/// matching either one fires. Local times that a daylight-saving change skips never fire.
///
/// ```swift
/// let cron = try CronExpression(parsing: "30 9 * * MON-FRI")
/// let next = cron.nextFire(after: Date(), in: TimeZone(identifier: "Europe/Paris")!)
/// ```
public struct CronExpression: Sendable, Equatable {
    let minutes: [Int]
    let hours: [Int]
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    /// 0 = Sunday … 6 = Saturday.
    let daysOfWeek: Set<Int>
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool

    private static let shortcuts = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    private struct Field {
        let name: String
        let range: ClosedRange<Int>
        let names: [String]
    }

    private static let fields = [
        Field(name: "minute", range: 0...59, names: []),
        Field(name: "hour", range: 0...23, names: []),
        Field(name: "day of month", range: 1...31, names: []),
        Field(name: "month", range: 1...12,
              names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]),
        Field(name: "day of week", range: 0...7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]),
    ]

    /// Parses `text`.
    ///
    /// - Throws: ``CronError`` naming the field and the 1-based column of the first problem.
    public init(parsing text: String) throws(CronError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var text = text
        if trimmed.hasPrefix("@") {
            guard let expanded = Self.shortcuts[trimmed.lowercased()] else {
                throw CronError(expression: text, column: 1,
                                problem: "unknown shortcut '\(trimmed)'; use @hourly, @daily, @weekly, @monthly or @yearly")
            }
            text = expanded
        }
        var tokens: [(text: Substring, column: Int)] = []
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == " " || text[index] == "\t" {
                index = text.index(after: index)
                continue
            }
            let start = index
            while index < text.endIndex, text[index] != " ", text[index] != "\t" { index = text.index(after: index) }
            tokens.append((text[start..<index], text.distance(from: text.startIndex, to: start) + 1))
        }
        guard tokens.count == 5 else {
            throw CronError(expression: text, column: tokens.count > 5 ? tokens[5].column : text.count + 1,
                            problem: "has \(tokens.count) fields; expected 5 (minute hour day-of-month month day-of-week)")
        }
        var sets: [Set<Int>] = []
        for (field, token) in zip(Self.fields, tokens) {
            sets.append(try Self.parse(token.text, column: token.column, field: field, expression: text))
        }
        minutes = sets[0].sorted()
        hours = sets[1].sorted()
        daysOfMonth = sets[2]
        months = sets[3]
        daysOfWeek = Set(sets[4].map { $0 % 7 })
        dayOfMonthRestricted = !tokens[2].text.hasPrefix("*")
        dayOfWeekRestricted = !tokens[4].text.hasPrefix("*")
    }

    private static func parse(_ token: Substring, column: Int, field: Field, expression: String) throws(CronError) -> Set<Int> {
        var values: Set<Int> = []
        var itemColumn = column
        for item in token.split(separator: ",", omittingEmptySubsequences: false) {
            func fail(_ problem: String, at offset: Int = 0) -> CronError {
                CronError(expression: expression, column: itemColumn + offset, problem: "\(field.name) \(problem)")
            }
            let stepParts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard !item.isEmpty, stepParts.count <= 2 else { throw fail("'\(item)' is not a value, range or step") }
            var step = 1
            if stepParts.count == 2 {
                guard let parsed = Int(stepParts[1]), parsed > 0 else {
                    throw fail("step '\(stepParts[1])' must be a positive number", at: stepParts[0].count + 1)
                }
                step = parsed
            }
            let base = stepParts[0]
            let bounds: ClosedRange<Int>
            if base == "*" {
                bounds = field.range.lowerBound...(field.name == "day of week" ? 6 : field.range.upperBound)
            } else {
                let ends = base.split(separator: "-", omittingEmptySubsequences: false)
                guard ends.count <= 2 else { throw fail("'\(base)' is not a value or a range") }
                let low = try value(ends[0], field: field) { fail($0) }
                let high = ends.count == 2 ? try value(ends[1], field: field) { fail($0, at: ends[0].count + 1) }
                    : (stepParts.count == 2 ? field.range.upperBound : low)
                guard low <= high else { throw fail("range \(base) runs backwards") }
                bounds = low...high
            }
            values.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
            itemColumn += item.count + 1
        }
        return values
    }

    private static func value(_ text: Substring, field: Field, fail: (String) -> CronError) throws(CronError) -> Int {
        if let index = field.names.firstIndex(of: text.uppercased()) {
            return field.range.lowerBound == 0 ? index : index + 1
        }
        guard let number = Int(text) else {
            throw fail("'\(text)' is not a number\(field.names.isEmpty ? "" : " or a name like \(field.names[0])")")
        }
        guard field.range.contains(number) else {
            throw fail("\(number) is outside \(field.range.lowerBound)–\(field.range.upperBound)")
        }
        return number
    }

    /// The first minute after `date` that the expression matches, in `timeZone`, or `nil` when
    /// none comes within five years (`0 0 30 2 *`).
    public func nextFire(after date: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let start = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard var day = calendar.date(from: DateComponents(year: start.year, month: start.month, day: start.day)) else {
            return nil
        }
        for dayIndex in 0..<(366 * 5) {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            if let month = parts.month, let dayOfMonth = parts.day, let weekday = parts.weekday,
               months.contains(month), matchesDay(dayOfMonth, weekday: weekday - 1) {
                for hour in hours where dayIndex > 0 || hour >= (start.hour ?? 0) {
                    for minute in minutes {
                        let wanted = DateComponents(year: parts.year, month: month, day: dayOfMonth, hour: hour, minute: minute)
                        guard let candidate = calendar.date(from: wanted), candidate > date,
                              calendar.component(.hour, from: candidate) == hour else { continue }
                        return candidate
                    }
                }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = next
        }
        return nil
    }

    private func matchesDay(_ dayOfMonth: Int, weekday: Int) -> Bool {
        switch (dayOfMonthRestricted, dayOfWeekRestricted) {
        case (true, true): daysOfMonth.contains(dayOfMonth) || daysOfWeek.contains(weekday)
        case (true, false): daysOfMonth.contains(dayOfMonth)
        case (false, true): daysOfWeek.contains(weekday)
        case (false, false): true
        }
    }
}

/// A cron expression that cannot be used, with the 1-based column of the problem:
/// `cron '0 25 * * *': column 3: hour 25 is outside 0–23`.
public struct CronError: Error, Sendable, Equatable, CustomStringConvertible {
    public let expression: String
    public let column: Int
    public let problem: String

    public var description: String { "cron '\(expression)': column \(column): \(problem)" }
}
