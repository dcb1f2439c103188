import Foundation
import Logging
import Storage
import Synchronization

/// Counts, per guild and day (UTC), how often each command was answered and which members
/// played, for digests like the `gazette` cog's. Counting is a dictionary update under a lock;
/// the counts reach `host_activity` in one transaction per ``flush()``, so no interaction
/// waits for a write.
final class ActivityCounters: Sendable {
    private struct Pending {
        var uses: [Key: Int64] = [:]
        var players: Set<Player> = []
    }

    private struct Key: Hashable {
        var guild: UInt64
        var day: String
        var command: String
    }

    private struct Player: Hashable {
        var guild: UInt64
        var day: String
        var user: UInt64
    }

    private let database: SQLiteDatabase
    private let clock: HostClock
    private let pending = Mutex(Pending())

    init(database: SQLiteDatabase, clock: HostClock) {
        self.database = database
        self.clock = clock
    }

    /// Counts one answered command in a guild.
    func record(guild: UInt64, command: String, user: UInt64) {
        let day = Self.day(of: clock.now())
        pending.withLock { pending in
            pending.uses[Key(guild: guild, day: day, command: command), default: 0] += 1
            pending.players.insert(Player(guild: guild, day: day, user: user))
        }
    }

    /// Writes the counts gathered since the last flush.
    func flush() throws {
        let taken = pending.withLock { pending in
            defer { pending = Pending() }
            return pending
        }
        guard !taken.uses.isEmpty else { return }
        do {
            try database.transaction { scope in
                for (key, uses) in taken.uses {
                    _ = try scope.execute(
                        """
                        INSERT INTO host_activity (guild_id, day, command, uses) VALUES (?, ?, ?, ?)
                        ON CONFLICT (guild_id, day, command) DO UPDATE SET uses = uses + excluded.uses
                        """,
                        [.integer(Int64(bitPattern: key.guild)), .text(key.day), .text(key.command), .integer(uses)]
                    )
                }
                for player in taken.players {
                    _ = try scope.execute("INSERT OR IGNORE INTO host_activity_players (guild_id, day, user_id) VALUES (?, ?, ?)",
                                          [.integer(Int64(bitPattern: player.guild)), .text(player.day),
                                           .integer(Int64(bitPattern: player.user))])
                }
            }
        } catch {
            // Keep the counts for the next attempt rather than lose a day's activity.
            pending.withLock { pending in
                for (key, uses) in taken.uses { pending.uses[key, default: 0] += uses }
                pending.players.formUnion(taken.players)
            }
            throw error
        }
    }

    /// One guild's activity on `day` (`YYYY-MM-DD`, UTC) as the JSON the `activity.guild`
    /// service returns: `{"day", "commands", "players", "top": [{"command", "uses"}]}`.
    func summary(guild: UInt64, day: String) throws -> [String: Any] {
        try flush()
        let guildValue = SQLiteValue.integer(Int64(bitPattern: guild))
        let rows = try database.query(
            "SELECT command, uses FROM host_activity WHERE guild_id = ? AND day = ? ORDER BY uses DESC, command",
            [guildValue, .text(day)]
        )
        let players = try database.query(
            "SELECT count(*) AS n FROM host_activity_players WHERE guild_id = ? AND day = ?", [guildValue, .text(day)]
        ).first?["n"].integer ?? 0
        let top: [[String: Any]] = rows.prefix(10).map { ["command": $0["command"].text ?? "", "uses": $0["uses"].integer ?? 0] }
        return ["day": day, "commands": rows.reduce(Int64(0)) { $0 + ($1["uses"].integer ?? 0) }, "players": players, "top": top]
    }

    /// `YYYY-MM-DD` of `date` in UTC.
    static func day(of date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        return String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// Howard Hinnant's days-to-civil conversion: no Calendar needed for UTC.
    private static func civilDate(daysSinceEpoch days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
