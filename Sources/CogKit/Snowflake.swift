import Foundation

/// A Discord id. Discord sends ids as strings; some old payloads send numbers.
public struct Snowflake: Hashable, Sendable, Comparable, CustomStringConvertible, Decodable {
    /// The id as a 64-bit integer.
    public let rawValue: UInt64

    /// - Parameter rawValue: The id as a 64-bit integer.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// Parses an id from its decimal text; `nil` when the text is not a number.
    public init?(_ text: String) {
        guard let value = UInt64(text) else { return nil }
        rawValue = value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self), let value = UInt64(text) {
            rawValue = value
        } else {
            rawValue = try container.decode(UInt64.self)
        }
    }

    /// When Discord made the id: its top 42 bits count milliseconds since 2015.
    ///
    /// ```swift
    /// let young = messages.filter { Date().timeIntervalSince($0.id.createdAt) < 14 * 86_400 }
    /// ```
    public var createdAt: Date { Date(timeIntervalSince1970: Double((rawValue >> 22) + 1_420_070_400_000) / 1_000) }

    /// A mention that Discord renders as a user's name, e.g. `<@80351110224678912>`.
    public var userMention: String { "<@\(rawValue)>" }

    public var description: String { String(rawValue) }

    public static func < (lhs: Snowflake, rhs: Snowflake) -> Bool { lhs.rawValue < rhs.rawValue }
}
