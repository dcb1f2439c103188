import Foundation

/// A Discord id. Discord sends ids as strings; some old payloads and clients send numbers, so
/// both decode. Encodes as a string, as Discord expects.
public struct Snowflake: Codable, Hashable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// Milliseconds between the Unix epoch and Discord's epoch (2015-01-01).
    public static let discordEpochMilliseconds: UInt64 = 1_420_070_400_000

    public var rawValue: UInt64

    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt64) {
        self.rawValue = value
    }

    /// A new id whose timestamp is `date`, as Discord mints them.
    public init(date: Date, increment: UInt64 = 0) {
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000)) &- Self.discordEpochMilliseconds
        self.rawValue = milliseconds << 22 | (increment & 0xFFF)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self), let value = UInt64(text) {
            rawValue = value
        } else if let number = try? container.decode(UInt64.self) {
            rawValue = number
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "a snowflake must be a number or a numeric string")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(rawValue))
    }

    /// When the id was minted.
    public var date: Date {
        Date(timeIntervalSince1970: Double((rawValue >> 22) + Self.discordEpochMilliseconds) / 1000)
    }

    public var description: String { String(rawValue) }
}
