internal import CogWire

/// A value bound to a cog's SQL statement, or read from a row.
///
/// ```swift
/// try storage.execute("UPDATE xp__members SET xp = xp + ? WHERE guild_id = ? AND user_id = ?",
///                     [15, .id(guildID), .id(context.user.id)])
/// ```
public enum SQLValue: Sendable, Equatable, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// A Discord id, stored as a 64-bit integer.
    public static func id(_ snowflake: Snowflake) -> SQLValue { .integer(Int64(bitPattern: snowflake.rawValue)) }

    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(booleanLiteral value: Bool) { self = .integer(value ? 1 : 0) }
    public init(nilLiteral: ()) { self = .null }

    /// The value as an integer (reals are truncated), or `nil`.
    public var integer: Int64? {
        switch self {
        case .integer(let value): value
        case .real(let value): Int64(exactly: value.rounded(.towardZero))
        default: nil
        }
    }

    /// The value as text, or `nil`.
    public var text: String? { if case .text(let value) = self { value } else { nil } }

    /// The value as a Discord id, or `nil`.
    public var snowflake: Snowflake? { integer.map { Snowflake(UInt64(bitPattern: $0)) } }

    /// The value on the wire to the host.
    var wire: SQLWireValue {
        switch self {
        case .null: .null
        case .integer(let value): .integer(value)
        case .real(let value): .real(value)
        case .text(let value): .text(value)
        case .blob(let bytes): .blob(bytes)
        }
    }

    init(wire: SQLWireValue) {
        self = switch wire {
        case .null: .null
        case .integer(let value): .integer(value)
        case .real(let value): .real(value)
        case .text(let value): .text(value)
        case .blob(let bytes): .blob(bytes)
        }
    }
}

/// One row of a query's result, by column name.
///
/// ```swift
/// for row in try storage.query("SELECT user_id, xp FROM xp__members ORDER BY xp DESC LIMIT 10") {
///     lines.append("\(row["user_id"].snowflake!.userMention): \(row["xp"].integer ?? 0) XP")
/// }
/// ```
public struct SQLRow: Sendable, Equatable {
    public let columns: [String]
    public let values: [SQLValue]

    /// The value of `column`, or `.null` when there is no such column.
    public subscript(_ column: String) -> SQLValue {
        columns.firstIndex(of: column).map { values[$0] } ?? .null
    }
}

/// What a write did.
public struct SQLOutcome: Sendable, Equatable {
    /// Rows inserted, updated or deleted.
    public let changes: Int
    /// The rowid of the last inserted row.
    public let lastInsertRowID: Int64
}

/// One statement of a ``CogStorage/batch(_:)``.
public struct SQLStatement: Sendable {
    public let sql: String
    public let parameters: [SQLValue]

    public init(_ sql: String, _ parameters: [SQLValue] = []) {
        self.sql = sql
        self.parameters = parameters
    }
}
