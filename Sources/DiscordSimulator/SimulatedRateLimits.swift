import Foundation

/// Discord's rate limits as the simulator enforces them: a window per route and top-level
/// resource, a global window per second, and 429 storms injected on demand.
struct SimulatedRateLimits {
    struct Window {
        var used = 0
        var resetAt: Date
    }

    /// What to tell the client about one request.
    struct Verdict {
        var headers: [(String, String)]
        /// Set when the request is refused with 429.
        var refusal: (scope: String, retryAfter: Double)?
    }

    private var windows: [String: Window] = [:]
    private var global = Window(resetAt: .distantPast)
    private var storms: [(remaining: Int, scope: String, retryAfter: Double)] = []

    mutating func addStorm(count: Int, scope: String, retryAfter: Double) {
        storms.append((count, scope, retryAfter))
    }

    /// Counts one request to `route` on `major` under `limit`.
    mutating func admit(route: String, major: String, limit: SimulatorConfiguration.Limit, globalLimit: Int, exempt: Bool,
                        now: Date = Date()) -> Verdict {
        let bucket = Self.bucketHash(route)
        if let index = storms.firstIndex(where: { $0.remaining > 0 }) {
            storms[index].remaining -= 1
            let storm = storms[index]
            storms.removeAll { $0.remaining == 0 }
            var headers = [("X-RateLimit-Scope", storm.scope), ("Retry-After", Self.format(storm.retryAfter.rounded(.up)))]
            if storm.scope == "global" {
                headers.append(("X-RateLimit-Global", "true"))
            } else {
                headers += [("X-RateLimit-Bucket", bucket), ("X-RateLimit-Limit", String(limit.limit)),
                            ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset-After", Self.format(storm.retryAfter)),
                            ("X-RateLimit-Reset", Self.format(now.timeIntervalSince1970 + storm.retryAfter))]
            }
            return Verdict(headers: headers, refusal: (storm.scope, storm.retryAfter))
        }
        if !exempt {
            if global.resetAt <= now { global = Window(resetAt: now.addingTimeInterval(1)) }
            if global.used >= globalLimit {
                let retryAfter = global.resetAt.timeIntervalSince(now)
                return Verdict(headers: [("X-RateLimit-Global", "true"), ("X-RateLimit-Scope", "global"),
                                         ("Retry-After", Self.format(retryAfter.rounded(.up)))],
                               refusal: ("global", retryAfter))
            }
            global.used += 1
        }
        let key = bucket + ":" + major
        var window = windows[key] ?? Window(resetAt: now.addingTimeInterval(limit.window))
        if window.resetAt <= now { window = Window(resetAt: now.addingTimeInterval(limit.window)) }
        let resetAfter = window.resetAt.timeIntervalSince(now)
        var headers = [("X-RateLimit-Bucket", bucket), ("X-RateLimit-Limit", String(limit.limit)),
                       ("X-RateLimit-Reset-After", Self.format(resetAfter)),
                       ("X-RateLimit-Reset", Self.format(window.resetAt.timeIntervalSince1970))]
        guard window.used < limit.limit else {
            windows[key] = window
            headers += [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Scope", "user"),
                        ("Retry-After", Self.format(resetAfter.rounded(.up)))]
            return Verdict(headers: headers, refusal: ("user", resetAfter))
        }
        window.used += 1
        windows[key] = window
        headers.append(("X-RateLimit-Remaining", String(limit.limit - window.used)))
        return Verdict(headers: headers, refusal: nil)
    }

    /// A stable bucket id per route, like Discord's opaque hashes.
    static func bucketHash(_ route: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in route.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    private static func format(_ seconds: Double) -> String {
        String(format: "%.3f", max(0, seconds))
    }
}
