import AsyncHTTPClient
import DiscordModels
import Foundation
import Logging
import Metrics
import NIOCore
import NIOHTTP1

/// A request to Discord: a route, an optional JSON body and query, and files to upload.
public struct DiscordRequest: Sendable {
    /// A file sent with a message, as `files[n]` of a multipart body.
    public struct File: Sendable, Equatable {
        public var name: String
        public var data: [UInt8]

        public init(name: String, data: [UInt8]) {
            self.name = name
            self.data = data
        }
    }

    public var route: DiscordRoute
    public var query: [(String, String)]
    public var body: [UInt8]?
    /// With files the request is `multipart/form-data`, the body its `payload_json` part.
    public var files: [File]
    /// Shown in the guild's audit log (`X-Audit-Log-Reason`).
    public var auditLogReason: String?
    /// On whose behalf it is sent (`cog:xp`), for the invalid-request guard; `nil` for the host.
    public var cause: String?

    public init(
        _ route: DiscordRoute, query: [(String, String)] = [], body: [UInt8]? = nil, files: [File] = [],
        auditLogReason: String? = nil, cause: String? = nil
    ) {
        self.route = route
        self.query = query
        self.body = body
        self.files = files
        self.auditLogReason = auditLogReason
        self.cause = cause
    }
}

/// Discord's answer to a request.
public struct DiscordResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Decodes the JSON body.
    public func decode<T: Decodable>(_ type: T.Type, route: DiscordRoute) throws(RESTError) -> T {
        do {
            return try JSONCoding.decode(type, from: body)
        } catch {
            throw .undecodable(route: route.key, detail: "\(error)")
        }
    }
}

/// Discord's REST API with its rate limits honoured: requests queue instead of failing when a
/// bucket or the global limit is spent, 429s are waited out and retried, server errors are
/// retried for idempotent requests, and the invalid-request budget is guarded.
///
/// ```swift
/// let rest = DiscordRESTClient(configuration: RESTConfiguration(token: token), logger: logger)
/// let info = try await rest.gatewayBot()
/// try await rest.createMessage(channel: 123, json: Array(#"{"content":"hi"}"#.utf8))
/// try await rest.shutdown()
/// ```
public final class DiscordRESTClient: Sendable {
    public let configuration: RESTConfiguration
    private let httpClient: HTTPClient
    private let limiter: RateLimiter
    private let invalidRequests: InvalidRequestGuard
    private let logger: Logger
    private let userAgent = "DiscordBot (https://github.com/cogwheel-bot/cogwheel, 0.2)"

    public init(configuration: RESTConfiguration, logger: Logger) {
        self.configuration = configuration
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.connectionPool = .init(idleTimeout: .seconds(60),
                                                 concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.connectionsPerHost)
        httpConfiguration.timeout = .init(connect: .seconds(10), read: .seconds(30))
        self.httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        self.limiter = RateLimiter(globalLimit: configuration.globalLimit)
        self.invalidRequests = InvalidRequestGuard(budget: configuration.invalidRequestBudget)
        self.logger = logger
    }

    /// Closes the HTTP connections. Call once, when the bot stops.
    public func shutdown() async throws {
        try await httpClient.shutdown()
    }

    /// Invalid responses (401, 403, 429) in the last ten minutes.
    public var recentInvalidResponses: Int { invalidRequests.recentCount }

    /// Sends `request`, waiting for rate limits and retrying as Discord asks.
    ///
    /// - Throws: ``RESTError``; its message names the route template, never a token.
    @discardableResult
    public func send(_ request: DiscordRequest) async throws(RESTError) -> DiscordResponse {
        let route = request.route
        var serverErrorRetries = 0
        var rateLimitRetries = 0
        while true {
            if !route.answersInteraction { try invalidRequests.check(cause: request.cause) }
            let slot: (ticket: RateLimiter.Ticket, waited: Duration)
            do {
                slot = try await limiter.acquire(route)
            } catch {
                throw .transport(route: route.key, detail: "cancelled while waiting for the rate limit")
            }
            if slot.waited > .zero {
                Timer(label: "cogwheel_rest_rate_limit_wait_seconds").recordNanoseconds(
                    slot.waited.components.seconds * 1_000_000_000 + slot.waited.components.attoseconds / 1_000_000_000)
            }
            if slot.waited > .milliseconds(50) {
                logger.debug("waited for a rate limit", metadata: ["route": "\(route)", "ms": "\(slot.waited.milliseconds)"])
            }
            let response: DiscordResponse
            do {
                response = try await execute(request)
            } catch {
                await limiter.complete(slot.ticket, route: route, headers: nil)
                if route.isIdempotent, serverErrorRetries < configuration.maxServerErrorRetries {
                    serverErrorRetries += 1
                    logger.warning("request failed; retrying", metadata: ["route": "\(route)", "error": "\(error)"])
                    await Self.sleep(Self.backoff(serverErrorRetries))
                    continue
                }
                throw error
            }
            let headers = RateLimitHeaders(response.headers)
            // Unlike the per-event counters, one made per request costs little beside the request.
            Counter(label: "cogwheel_rest_requests_total", dimensions: [("route", route.key), ("status", "\(response.status)")])
                .increment()
            await limiter.complete(slot.ticket, route: route, headers: headers)
            invalidRequests.record(status: response.status, scope: headers.scope, cause: request.cause)
            switch response.status {
            case 200..<300:
                return response
            case 429:
                let body = try? JSONCoding.decode(RateLimitBody.self, from: response.body)
                let retryAfter = body?.retryAfter ?? headers.retryAfter ?? 1
                let global = headers.isGlobal || body?.global == true || headers.scope == "global"
                await limiter.pause(slot.ticket, global: global, retryAfter: retryAfter)
                rateLimitRetries += 1
                Counter(label: "cogwheel_rest_rate_limited_total", dimensions: [("scope", headers.scope ?? (global ? "global" : "user"))])
                    .increment()
                logger.warning("rate limited by Discord; waiting", metadata: [
                    "route": "\(route)", "scope": "\(headers.scope ?? (global ? "global" : "user"))",
                    "retry_after_s": "\(retryAfter)",
                ])
                guard rateLimitRetries <= configuration.maxRateLimitRetries else {
                    throw .rateLimited(route: route.key, retries: rateLimitRetries - 1)
                }
            case 500..<600 where route.isIdempotent && serverErrorRetries < configuration.maxServerErrorRetries:
                serverErrorRetries += 1
                logger.warning("Discord answered with a server error; retrying",
                               metadata: ["route": "\(route)", "status": "\(response.status)"])
                await Self.sleep(Self.backoff(serverErrorRetries))
            default:
                let error = try? JSONCoding.decode(ErrorBody.self, from: response.body)
                if response.status == 401 {
                    logger.critical("Discord rejected the token (401); check DISCORD_TOKEN", metadata: ["route": "\(route)"])
                }
                throw .http(route: route.key, status: response.status, code: error?.code,
                            message: error?.message ?? String(decoding: response.body.prefix(200), as: UTF8.self))
            }
        }
    }

    private func execute(_ request: DiscordRequest) async throws(RESTError) -> DiscordResponse {
        let route = request.route
        var url = configuration.apiBase + route.path
        if !request.query.isEmpty {
            url += "?" + request.query.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")" }
                .joined(separator: "&")
        }
        var http = HTTPClientRequest(url: url)
        http.method = route.method
        http.headers.add(name: "Authorization", value: configuration.token.authorizationHeader)
        http.headers.add(name: "User-Agent", value: userAgent)
        if let reason = request.auditLogReason?.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) {
            http.headers.add(name: "X-Audit-Log-Reason", value: reason)
        }
        if !request.files.isEmpty {
            let form = MultipartForm(payload: request.body ?? Array("{}".utf8), files: request.files)
            http.headers.add(name: "Content-Type", value: form.contentType)
            http.body = .bytes(ByteBuffer(bytes: form.body))
        } else if let body = request.body {
            http.headers.add(name: "Content-Type", value: "application/json")
            http.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await httpClient.execute(http, timeout: .init(configuration.requestTimeout))
            let body = try await response.body.collect(upTo: 32 << 20)
            return DiscordResponse(status: Int(response.status.code), headers: response.headers,
                                   body: Array(body.readableBytesView))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw .timeout(route: route.key)
        } catch {
            throw .transport(route: route.key, detail: Self.describe(error))
        }
    }

    /// A transport error's description without the URL, which may hold an interaction token.
    private static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        guard let range = text.range(of: "http") else { return text }
        return String(text[..<range.lowerBound]) + "<url>"
    }

    private static func backoff(_ attempt: Int) -> Duration {
        .milliseconds(250 * (1 << min(attempt, 6))) * Double.random(in: 0.5...1)
    }

    private static func sleep(_ duration: Duration) async {
        try? await Task.sleep(for: duration)
    }

    private struct RateLimitBody: Decodable {
        var retryAfter: Double?
        var global: Bool?

        enum CodingKeys: String, CodingKey {
            case global
            case retryAfter = "retry_after"
        }
    }

    private struct ErrorBody: Decodable {
        var code: Int?
        var message: String?
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
