/// A typed setting in the key–value store, with the default a cog declares for it.
///
/// ```swift
/// static let checkinXP = StorageKey("checkin_xp", default: 15)
///
/// let amount = try context.storage.get(Self.checkinXP, in: .guild(guildID))   // 15 until set
/// try context.storage.set(Self.checkinXP, to: 25, in: .guild(guildID))
/// ```
///
/// Values are stored as JSON, so any `Codable` type works; a value that no longer decodes (the
/// type changed) reads as the default and is logged.
public struct StorageKey<Value: Codable & Sendable>: Sendable {
    /// The key: at most 256 bytes of UTF-8. Keys sharing a prefix can be listed together.
    public let name: String
    /// What ``CogStorage/get(_:in:)`` returns when nothing is stored.
    public let defaultValue: Value

    public init(_ name: String, default defaultValue: Value) {
        self.name = name
        self.defaultValue = defaultValue
    }
}

/// Where a key–value entry lives, after Red-DiscordBot's Config scopes.
///
/// ```swift
/// try storage.set(Self.prefix, to: "!", in: .guild(guildID))
/// try storage.set(Self.birthday, to: "03-14", in: .member(guild: guildID, user: context.user.id))
/// let everyone = try storage.entries(String.self, in: .members(of: guildID), prefix: "birthday")
/// ```
public enum StorageScope: Sendable, Hashable {
    /// One value for the whole bot.
    case global
    /// One value per guild.
    case guild(Snowflake)
    /// One value per channel.
    case channel(Snowflake)
    /// One value per user, across guilds.
    case user(Snowflake)
    /// One value per member: a user within a guild.
    case member(guild: Snowflake, user: Snowflake)

    /// Every member of `guild`, for ``CogStorage/entries(_:in:prefix:)``.
    public static func members(of guild: Snowflake) -> StorageScope { .member(guild: guild, user: Snowflake(0)) }
}

/// One entry read by ``CogStorage/entries(_:in:prefix:)``.
public struct StoredEntry<Value: Sendable>: Sendable {
    /// The scope with its actual ids (the member's user id when listing ``StorageScope/members(of:)``).
    public let scope: StorageScope
    public let key: String
    public let value: Value
}
