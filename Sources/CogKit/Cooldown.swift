/// A rate limit on a command: at most ``rate`` uses per ``per`` seconds in one ``scope``.
///
/// The host keeps cooldown buckets keyed by cog and command, so they survive reloads. A player
/// on cooldown gets an ephemeral "try again in N s" without the cog being called.
///
/// ```swift
/// Command("daily", "Claim your daily bonus", cooldown: Cooldown(rate: 1, per: 86_400, scope: .user)) { … }
/// ```
public struct Cooldown: Sendable, Equatable {
    /// Who shares one bucket.
    public enum Scope: String, Sendable {
        /// One bucket per user, across guilds.
        case user
        /// One bucket per user in each guild.
        case member
        /// One bucket per channel.
        case channel
        /// One bucket per guild.
        case guild
        /// One bucket for everybody.
        case global
    }

    /// Uses allowed per period, at least 1.
    public let rate: Int
    /// The period in seconds, more than 0.
    public let per: Double
    /// Who shares a bucket.
    public let scope: Scope

    /// - Parameters:
    ///   - rate: Uses allowed per period.
    ///   - per: The period in seconds.
    ///   - scope: Who shares a bucket; `.user` by default.
    public init(rate: Int, per: Double, scope: Scope = .user) {
        self.rate = rate
        self.per = per
        self.scope = scope
    }
}
