import CogHost
import Foundation

/// A cron expression (or `@daily`-style name) from any text; when it parses, its next run
/// from a fixed instant is later than that instant and on a whole minute.
enum CronHarness {
    static let origin = Date(timeIntervalSince1970: 1_790_000_000)
    static let zones = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"].compactMap(TimeZone.init(identifier:))

    static func run(_ bytes: [UInt8]) {
        guard let zoneByte = bytes.first else { return }
        let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
        guard let expression = try? CronExpression(parsing: text) else { return }
        let zone = zones[Int(zoneByte) % zones.count]
        guard let next = expression.nextFire(after: origin, in: zone) else { return }
        FuzzFailure.check(next > origin, "'\(text)' next fires at \(next), not after \(origin)")
        FuzzFailure.check(next.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) == 0, "'\(text)' fires off the minute: \(next)")
    }
}
