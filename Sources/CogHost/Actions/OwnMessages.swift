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

    /// Whether `cog` sent that message (`false` when the table cannot be read).
    func isOwner(_ cog: String, channel: UInt64, message: UInt64) -> Bool {
        let rows = try? database.query(
            "SELECT cog FROM host_cog_messages WHERE channel_id = ? AND message_id = ?",
            [.integer(Int64(bitPattern: channel)), .integer(Int64(bitPattern: message))]
        )
        return rows?.first?["cog"].text == cog
    }

    func forget(channel: UInt64, message: UInt64) throws {
        try database.execute("DELETE FROM host_cog_messages WHERE channel_id = ? AND message_id = ?",
                             [.integer(Int64(bitPattern: channel)), .integer(Int64(bitPattern: message))])
    }
}
