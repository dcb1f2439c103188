import Foundation
import Storage

/// The messages each cog sent through the host, so a cog may edit or delete its own messages
/// and nobody else's, across reloads and restarts (`host_cog_messages`).
final class OwnMessages: Sendable {
    private let database: SQLiteDatabase

    init(database: SQLiteDatabase) {
        self.database = database
    }

    func record(cog: String, channel: UInt64, message: UInt64) throws {
        try database.execute(
            "INSERT OR REPLACE INTO host_cog_messages (channel_id, message_id, cog, sent_at) VALUES (?, ?, ?, ?)",
            [.integer(Int64(bitPattern: channel)), .integer(Int64(bitPattern: message)), .text(cog),
             .real(Date().timeIntervalSince1970)]
        )
    }

    /// Throws ``ServiceError`` (denied) unless `cog` sent that message.
    func requireOwner(_ cog: String, channel: UInt64, message: UInt64) throws {
        let rows = try database.query(
            "SELECT cog FROM host_cog_messages WHERE channel_id = ? AND message_id = ?",
            [.integer(Int64(bitPattern: channel)), .integer(Int64(bitPattern: message))]
        )
        guard rows.first?["cog"].text == cog else {
            throw ServiceError(.denied, "message \(message) in channel \(channel) was not sent by cog \(cog); a cog may only change its own messages")
        }
    }

    func forget(channel: UInt64, message: UInt64) throws {
        try database.execute("DELETE FROM host_cog_messages WHERE channel_id = ? AND message_id = ?",
                             [.integer(Int64(bitPattern: channel)), .integer(Int64(bitPattern: message))])
    }
}
