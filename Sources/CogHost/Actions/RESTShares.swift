import Foundation
import Synchronization

/// Each cog's share of the bot's REST budget (`COGWHEEL_COG_REST_SHARE`): requests per second,
/// by default Discord's global limit split evenly between the loaded cogs, then per cog.
public struct RESTShareSettings: Sendable, Equatable {
    /// Requests per second a cog may make when none is configured for it; `nil` splits
    /// ``globalLimit`` evenly between the cogs loaded.
    public var perCog: Double?
    public var byCog: [String: Double] = [:]
    /// Discord's global limit, 50 requests per second per bot.
    public var globalLimit: Double = 50
    /// How long a request over the share waits for its turn before it is refused.
    public var maxWait: Duration = .seconds(2)

    public init() {}
}

/// Keeps each cog within its share of the REST budget with a token bucket per cog: a request
/// over the share waits its turn, up to ``RESTShareSettings/maxWait``, then is refused. A cog
/// that spends its share only ever waits for its own bucket, so the others never slow down.
final class RESTShares: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let settings: RESTShareSettings
    private let buckets = Mutex<[String: Bucket]>([:])

    init(settings: RESTShareSettings) {
        self.settings = settings
    }

    /// Requests per second for `cog` when `cogCount` cogs are loaded.
    func rate(for cog: String, cogCount: Int) -> Double {
        settings.byCog[cog] ?? settings.perCog ?? max(1, settings.globalLimit / Double(max(1, cogCount)))
    }

    /// Waits for `cog`'s turn; throws ``ServiceError`` when the turn is further away than the
    /// longest wait allowed.
    func admit(_ cog: String, cogCount: Int) async throws(ServiceError) {
        let rate = rate(for: cog, cogCount: cogCount)
        let now = ContinuousClock.now
        let wait: Duration? = buckets.withLock { buckets in
            var bucket = buckets[cog] ?? Bucket(tokens: max(1, rate), updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            // The burst is one second's share, and at least one request.
            bucket.tokens = min(max(1, rate), bucket.tokens + seconds * rate)
            bucket.updated = now
            let delay = Duration.seconds(max(0, 1 - bucket.tokens) / rate)
            guard delay <= settings.maxWait else {
                buckets[cog] = bucket
                return nil
            }
            // Tokens go below zero while requests wait: each waiting one holds its turn.
            bucket.tokens -= 1
            buckets[cog] = bucket
            return delay
        }
        guard let wait else {
            throw ServiceError(.failed, "cog \(cog) is over its share of the bot's REST budget (\(Self.shown(rate)) requests per second); try again later")
        }
        guard wait > .zero else { return }
        try? await Task.sleep(for: wait)
    }

    private static func shown(_ rate: Double) -> String {
        rate == rate.rounded() ? String(Int(rate)) : String(format: "%.1f", rate)
    }
}
