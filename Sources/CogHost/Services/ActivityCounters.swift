import CogWire
import Foundation
import Logging
import Storage
import Synchronization

/// Counts, per guild and day (UTC), how often each command was answered and which members
/// played, for digests like the `gazette` cog's. Counting is a dictionary update under a lock;
/// the counts reach `host_activity` in one transaction per ``flush()``, so no interaction
/// waits for a write. Days are kept as day numbers and named only when written.
final class ActivityCounters: Sendable {
    private struct Pending {
        var uses: [Key: Int64] = [:]
        var players: Set<Player> = []
    }

    private struct Key: Hashable {
        var guild: UInt64
        var day: Int64
        var command: String
    }

    private struct Player: Hashable {
        var guild: UInt64
        var day: Int64
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
        let day = Int64((clock.now().timeIntervalSince1970 / 86_400).rounded(.down))
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
                        [.integer(Int64(bitPattern: key.guild)), .text(Self.day(number: key.day)), .text(key.command),
                         .integer(uses)]
                    )
                }
                for player in taken.players {
                    _ = try scope.execute("INSERT OR IGNORE INTO host_activity_players (guild_id, day, user_id) VALUES (?, ?, ?)",
                                          [.integer(Int64(bitPattern: player.guild)), .text(Self.day(number: player.day)),
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
    func summary(guild: UInt64, day: String) throws -> GuildActivityAnswer {
        try flush()
        let guildValue = SQLiteValue.integer(Int64(bitPattern: guild))
        let rows = try database.query(
            "SELECT command, uses FROM host_activity WHERE guild_id = ? AND day = ? ORDER BY uses DESC, command",
            [guildValue, .text(day)]
        )
        let players = try database.query(
            "SELECT count(*) AS n FROM host_activity_players WHERE guild_id = ? AND day = ?", [guildValue, .text(day)]
        ).first?["n"].integer ?? 0
        let top = rows.prefix(10).map { GuildActivityAnswer.CommandUses(command: $0["command"].text ?? "", uses: $0["uses"].integer ?? 0) }
        return GuildActivityAnswer(day: day, commands: rows.reduce(Int64(0)) { $0 + ($1["uses"].integer ?? 0) }, players: players,
                                   top: Array(top))
    }

    /// `YYYY-MM-DD` of `date` in UTC.
    static func day(of date: Date) -> String {
        dayFormatter.string(from: date)
    }

    private static func day(number: Int64) -> String {
        day(of: Date(timeIntervalSince1970: Double(number) * 86_400))
    }

    // nonisolated(unsafe): ISO8601DateFormatter is thread-safe for formatting once configured.
    nonisolated(unsafe) private static let dayFormatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withFullDate]
        return formatter
    }()
}
