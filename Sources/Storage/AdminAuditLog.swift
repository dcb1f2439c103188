import Foundation

/// The record of admin actions — who did what, when, with which result and how long it took —
/// in the host table `host_audit`, read back by `/audit`.
///
/// ```swift
/// let audit = AdminAuditLog(database: database)
/// try audit.record(AdminAuditLog.Entry(userID: 42, action: "reload", target: "xp", result: .failed,
///                                      detail: "schema version 1 → 2 needs a full restart", duration: .milliseconds(3)))
/// let latest = try audit.recent(limit: 10)
/// ```
public struct AdminAuditLog: Sendable {
    public let database: SQLiteDatabase

    /// How an action ended.
    public enum Result: String, Sendable {
        case succeeded
        case failed
        /// The user is not an admin.
        case forbidden
    }

    /// One admin action.
    public struct Entry: Sendable, Equatable {
        public var at: Date
        public var userID: UInt64
        public var action: String
        public var target: String?
        public var result: Result
        public var detail: String
        public var duration: Duration

        public init(at: Date = Date(), userID: UInt64, action: String, target: String?, result: Result, detail: String,
                    duration: Duration) {
            self.at = at
            self.userID = userID
            self.action = action
            self.target = target
            self.result = result
            self.detail = detail
            self.duration = duration
        }
    }

    public init(database: SQLiteDatabase) {
        self.database = database
    }

    /// Appends `entry`.
    public func record(_ entry: Entry) throws {
        try database.execute("""
            INSERT INTO host_audit (at, user_id, action, target, result, detail, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.real(entry.at.timeIntervalSince1970), .integer(Int64(bitPattern: entry.userID)), .text(entry.action),
                  entry.target.map { .text($0) } ?? .null, .text(entry.result.rawValue), .text(String(entry.detail.prefix(1000))),
                  .real(Double(entry.duration.components.seconds) * 1000 + Double(entry.duration.components.attoseconds) / 1e15)])
    }

    /// The newest `limit` entries, newest first.
    public func recent(limit: Int) throws -> [Entry] {
        try database.read {
            try $0.query("""
                SELECT at, user_id, action, target, result, detail, duration_ms FROM host_audit ORDER BY id DESC LIMIT ?
                """, [.integer(Int64(max(0, limit)))])
        }.map { row in
            Entry(at: Date(timeIntervalSince1970: row["at"].real ?? 0), userID: UInt64(bitPattern: row["user_id"].integer ?? 0),
                  action: row["action"].text ?? "", target: row["target"].text,
                  result: Result(rawValue: row["result"].text ?? "") ?? .failed, detail: row["detail"].text ?? "",
                  duration: .microseconds(Int64((row["duration_ms"].real ?? 0) * 1000)))
        }
    }
}
