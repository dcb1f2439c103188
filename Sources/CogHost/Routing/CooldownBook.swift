import DiscordModels
import Synchronization

/// The host's cooldown buckets, keyed by cog and route (never by generation), so a reload
/// keeps every player's cooldown.
///
/// Each bucket is a fixed window like discord.py's: `rate` uses, refilled `per` seconds after
/// the window's first use.
public final class CooldownBook: Sendable {
    private struct Bucket {
        var windowStart: Double
        var remaining: Int
    }

    private let buckets = Mutex<[String: Bucket]>([:])
    private let now: @Sendable () -> Double

    /// - Parameter now: Seconds on a monotonic clock; tests pass a virtual clock.
    public init(now: @escaping @Sendable () -> Double = CooldownBook.monotonicSeconds) {
        self.now = now
    }

    /// The default clock: seconds since an arbitrary monotonic origin.
    public static func monotonicSeconds() -> Double {
        let elapsed = ContinuousClock.now - processStart
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Takes one use from the bucket of this interaction. Returns `nil` when allowed, or the
    /// seconds until the next use is allowed.
    func take(_ rule: CooldownRule, cog: String, route: String, facts: InteractionRoutingFacts) -> Double? {
        let key = "\(cog)/\(route)/\(Self.bucketKey(rule.scope, facts))"
        let time = now()
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(windowStart: time, remaining: rule.rate)
            if time - bucket.windowStart >= rule.per {
                bucket = Bucket(windowStart: time, remaining: rule.rate)
            }
            guard bucket.remaining > 0 else {
                return rule.per - (time - bucket.windowStart)
            }
            bucket.remaining -= 1
            buckets[key] = bucket
            if buckets.count > 50_000 { Self.purge(&buckets, olderThan: time - 86_400) }
            return nil
        }
    }

    private static func bucketKey(_ scope: CooldownRule.Scope, _ facts: InteractionRoutingFacts) -> String {
        switch scope {
        case .user: "u\(facts.userID ?? 0)"
        case .member: "m\(facts.guildID ?? 0).\(facts.userID ?? 0)"
        case .channel: "c\(facts.channelID ?? 0)"
        case .guild: "g\(facts.guildID ?? facts.channelID ?? 0)"
        case .global: "*"
        }
    }

    private static func purge(_ buckets: inout [String: Bucket], olderThan cutoff: Double) {
        buckets = buckets.filter { $0.value.windowStart >= cutoff }
    }
}

private let processStart = ContinuousClock.now
