import Foundation
import Storage

/// The record of admin actions — who did what, in which guild, when, with which result and how
/// long it took — in the host table `host_audit`, read back by `/audit` (an operator's across
/// guilds, a guild manager's for that guild) and pruned after ``retention``.
///
/// ```swift
/// let audit = AdminAuditLog(database: database)
/// try audit.record(AdminAuditLog.Entry(userID: 42, guildID: 7, action: "reload", target: "xp", result: .failed,
///                                      detail: "schema version 1 → 2 needs a full restart", duration: .milliseconds(3)))
/// let latest = try audit.recent(limit: 10, guild: nil)      // every guild
/// ```
public struct AdminAuditLog: Sendable {
    public let database: SQLiteDatabase
    /// How long entries are kept.
    public let retention: Duration

    /// How an action ended.
    public enum Result: String, Sendable {
        case succeeded
        case failed
        /// The user may not run the command.
        case forbidden
    }

    /// One admin action.
    public struct Entry: Sendable, Equatable {
        public var at: Date
        public var userID: UInt64
        /// Where it was typed; `nil` in a DM.
        public var guildID: UInt64?
        public var action: String
        public var target: String?
        public var result: Result
        public var detail: String
        public var duration: Duration

        public init(at: Date = Date(), userID: UInt64, guildID: UInt64?, action: String, target: String?, result: Result,
                    detail: String, duration: Duration) {
            self.at = at
            self.userID = userID
            self.guildID = guildID
            self.action = action
            self.target = target
            self.result = result
            self.detail = detail
            self.duration = duration
        }
    }

    /// - Parameter retention: How long entries are kept; 90 days by default.
    public init(database: SQLiteDatabase, retention: Duration = .seconds(90 * 86_400)) {
        self.database = database
        self.retention = retention
    }

    /// Appends `entry`.
    public func record(_ entry: Entry) throws {
        try database.execute("""
            INSERT INTO host_audit (at, user_id, guild_id, action, target, result, detail, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [.real(entry.at.timeIntervalSince1970), .integer(Int64(bitPattern: entry.userID)),
                  entry.guildID.map { .integer(Int64(bitPattern: $0)) } ?? .null, .text(entry.action),
                  entry.target.map { .text($0) } ?? .null, .text(entry.result.rawValue), .text(String(entry.detail.prefix(1000))),
                  .real(Double(entry.duration.components.seconds) * 1000 + Double(entry.duration.components.attoseconds) / 1e15)])
    }

    /// The newest `limit` entries, newest first: of guild `guild`, or of every guild and DM.
    public func recent(limit: Int, guild: UInt64?) throws -> [Entry] {
        let columns = "at, user_id, guild_id, action, target, result, detail, duration_ms"
        let rows = try database.read { connection in
            if let guild {
                return try connection.query("SELECT \(columns) FROM host_audit WHERE guild_id = ? ORDER BY id DESC LIMIT ?",
                                            [.integer(Int64(bitPattern: guild)), .integer(Int64(max(0, limit)))])
            }
            return try connection.query("SELECT \(columns) FROM host_audit ORDER BY id DESC LIMIT ?", [.integer(Int64(max(0, limit)))])
        }
        return rows.map { row in
            Entry(at: Date(timeIntervalSince1970: row["at"].real ?? 0), userID: UInt64(bitPattern: row["user_id"].integer ?? 0),
                  guildID: row["guild_id"].integer.map { UInt64(bitPattern: $0) }, action: row["action"].text ?? "", target: row["target"].text,
                  result: Result(rawValue: row["result"].text ?? "") ?? .failed, detail: row["detail"].text ?? "",
                  duration: .microseconds(Int64((row["duration_ms"].real ?? 0) * 1000)))
        }
    }

    /// Deletes the entries older than ``retention``; returns how many.
    @discardableResult
    public func prune(now: Date = Date()) throws -> Int {
        let cutoff = now.timeIntervalSince1970 - Double(retention.components.seconds)
        return try database.execute("DELETE FROM host_audit WHERE at < ?", [.real(cutoff)])
    }
}
