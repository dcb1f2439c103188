/// The scopes of the cog key–value store, after Red-DiscordBot's Config.
public enum KeyValueScope: Int32, Sendable, CaseIterable {
    case global = 0
    case guild = 1
    case channel = 2
    case user = 3
    case member = 4
}

/// Where a key–value entry lives: a scope and the ids it needs (guild; channel; user;
/// guild and user for a member). Unused ids are 0.
public struct KeyValueLocation: Sendable, Hashable {
    public let scope: KeyValueScope
    public let first: UInt64
    public let second: UInt64

    public init(scope: KeyValueScope, first: UInt64 = 0, second: UInt64 = 0) {
        self.scope = scope
        self.first = first
        self.second = second
    }

    public static let global = KeyValueLocation(scope: .global)
    public static func guild(_ id: UInt64) -> Self { Self(scope: .guild, first: id) }
    public static func channel(_ id: UInt64) -> Self { Self(scope: .channel, first: id) }
    public static func user(_ id: UInt64) -> Self { Self(scope: .user, first: id) }
    public static func member(guild: UInt64, user: UInt64) -> Self { Self(scope: .member, first: guild, second: user) }

    /// Why the ids do not fit the scope, or `nil`. With `wildcardAllowed`, a 0 id means "any".
    func problem(wildcardAllowed: Bool) -> String? {
        let needed = switch scope {
        case .global: 0
        case .guild, .channel, .user: 1
        case .member: 2
        }
        if needed < 2, second != 0 { return "the \(scope) scope takes \(needed) id\(needed == 1 ? "" : "s")" }
        if needed < 1, first != 0 { return "the global scope takes no id" }
        if !wildcardAllowed, (needed >= 1 && first == 0) || (needed == 2 && second == 0) {
            return "the \(scope) scope needs \(needed == 2 ? "a guild id and a user id" : "an id")"
        }
        return nil
    }
}

/// One key–value entry.
public struct KeyValueEntry: Sendable, Equatable {
    public let location: KeyValueLocation
    public let key: String
    public let value: [UInt8]
}
