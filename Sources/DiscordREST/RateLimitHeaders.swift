import NIOHTTP1

/// Discord's rate-limit headers on one response.
struct RateLimitHeaders: Sendable {
    var bucket: String?
    var limit: Int?
    var remaining: Int?
    /// Seconds until the bucket resets.
    var resetAfter: Double?
    var isGlobal = false
    /// `user`, `global` or `shared` on a 429.
    var scope: String?
    /// `Retry-After` in seconds.
    var retryAfter: Double?

    init(_ headers: HTTPHeaders) {
        bucket = headers.first(name: "X-RateLimit-Bucket")
        limit = headers.first(name: "X-RateLimit-Limit").flatMap { Int($0) }
        remaining = headers.first(name: "X-RateLimit-Remaining").flatMap { Int($0) }
        resetAfter = headers.first(name: "X-RateLimit-Reset-After").flatMap { Double($0) }
        isGlobal = headers.first(name: "X-RateLimit-Global")?.lowercased() == "true"
        scope = headers.first(name: "X-RateLimit-Scope")
        retryAfter = headers.first(name: "Retry-After").flatMap { Double($0) }
    }
}
