import Foundation
import Storage
import Synchronization

/// Cogs and commands an admin turned off in one guild (`/cog disable NAME`), kept in the host
/// table `host_guild_disabled` and mirrored in memory, because the router asks on every
/// interaction.
///
/// ```swift
/// let switchboard = try GuildSwitchboard(database: database)
/// try switchboard.disable(.cog("xp"), in: guildID, by: adminID)
/// switchboard.blocking(cog: "xp", command: "rank", in: guildID)   // .cog("xp")
/// ```
public final class GuildSwitchboard: Sendable {
    /// What can be turned off: a whole cog, or one command (by its top-level name).
    public enum Switch: Hashable, Sendable, CustomStringConvertible {
        case cog(String)
        case command(String)

        /// `xp` names a cog, `/roll` a command.
        public init?(parsing text: String) {
            let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
            guard !trimmed.isEmpty, trimmed != "/" else { return nil }
            self = trimmed.hasPrefix("/") ? .command(String(trimmed.dropFirst())) : .cog(trimmed)
        }

        /// How it is stored and shown: `xp` or `/roll`.
        public var description: String {
            switch self {
            case .cog(let name): name
            case .command(let name): "/\(name)"
            }
        }
    }

    private let database: SQLiteDatabase
    private let disabled: Mutex<[UInt64: Set<Switch>]>
    /// Whether any guild has anything off: the router's common case skips the lock.
    private let anyDisabled = Atomic<Bool>(false)

    /// Reads every switch from the database.
    public init(database: SQLiteDatabase) throws {
        self.database = database
        var loaded: [UInt64: Set<Switch>] = [:]
        for row in try database.query("SELECT guild_id, target FROM host_guild_disabled") {
            guard let guild = row["guild_id"].integer, let text = row["target"].text, let target = Switch(parsing: text) else { continue }
            loaded[UInt64(bitPattern: guild), default: []].insert(target)
        }
        disabled = Mutex(loaded)
        anyDisabled.store(!loaded.isEmpty, ordering: .releasing)
    }

    /// Turns `target` off in `guild`. Returns `false` when it already was.
    @discardableResult
    public func disable(_ target: Switch, in guild: UInt64, by user: UInt64) throws -> Bool {
        let changes = try database.execute(
            "INSERT OR IGNORE INTO host_guild_disabled (guild_id, target, disabled_by, disabled_at) VALUES (?, ?, ?, ?)",
            [.integer(Int64(bitPattern: guild)), .text(target.description), .integer(Int64(bitPattern: user)),
             .real(Date().timeIntervalSince1970)]
        )
        disabled.withLock { _ = $0[guild, default: []].insert(target) }
        anyDisabled.store(true, ordering: .releasing)
        return changes > 0
    }

    /// Turns `target` back on in `guild`. Returns `false` when it was not off.
    @discardableResult
    public func enable(_ target: Switch, in guild: UInt64) throws -> Bool {
        let changes = try database.execute("DELETE FROM host_guild_disabled WHERE guild_id = ? AND target = ?",
                                           [.integer(Int64(bitPattern: guild)), .text(target.description)])
        disabled.withLock { _ = $0[guild]?.remove(target) }
        return changes > 0
    }

    /// What is off in `guild`, sorted by name.
    public func disabled(in guild: UInt64) -> [Switch] {
        disabled.withLock { $0[guild] ?? [] }.sorted { $0.description < $1.description }
    }

    /// Whether an admin turned all of `cog` off in `guild` (its events stop there too).
    public func isDisabled(cog: String, in guild: UInt64) -> Bool {
        guard anyDisabled.load(ordering: .acquiring) else { return false }
        return disabled.withLock { $0[guild]?.contains(.cog(cog)) ?? false }
    }

    /// The switch that keeps `command` of `cog` from running in `guild`, if any.
    public func blocking(cog: String, command: String, in guild: UInt64) -> Switch? {
        guard anyDisabled.load(ordering: .acquiring) else { return nil }
        return disabled.withLock { all in
            guard let switches = all[guild] else { return nil }
            if switches.contains(.cog(cog)) { return .cog(cog) }
            if switches.contains(.command(command)) { return .command(command) }
            return nil
        }
    }
}
