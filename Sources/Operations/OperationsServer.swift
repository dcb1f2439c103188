import CogHost
import DiscordModels
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// The operations endpoints over HTTP, bound to loopback unless configured otherwise:
///
/// | path | answers |
/// | --- | --- |
/// | `GET /health` | liveness: 200 while the process serves requests |
/// | `GET /ready` | 200 when connected and READY, the database writable and autoloaded cogs serving; 503 with the reasons otherwise |
/// | `GET /health/discord` | gateway state per shard, heartbeat latency, last event age, whether the session can resume; 503 unless READY |
/// | `GET /metrics` | Prometheus text exposition |
///
/// Bodies are JSON (except `/metrics`) and never carry the token or other settings. With a
/// bearer token (`COGWHEEL_OPS_TOKEN`), `/metrics` answers 401 without `Authorization: Bearer
/// <token>`; the probes stay open for health checks.
///
/// The server is bounded (``Limits``): a few dozen connections, idle ones closed, and no request
/// bodies, so nobody reaching the port can hold memory or sockets.
///
/// It is a ``Service`` (Hummingbird's application runs inside the bot's service group, which
/// alone handles signals) and the last one to stop, so `/ready` can say "shutting down" while
/// everything else drains.
public struct OperationsServer: Service {
    let host: CogHost
    let address: OperationsAddress
    let metrics: MetricsExporter
    let metricsToken: OperationsToken?
    let limits: Limits
    let logger: Logger
    let onListening: @Sendable (Int) async -> Void

    /// What one client can hold.
    public struct Limits: Sendable {
        /// Open connections; past it new ones wait in the listen backlog.
        public var connections: Int
        /// A connection with no request for this long is closed.
        public var idleTimeout: Duration
        /// The largest request body; every endpoint is a GET, so anything bigger is refused
        /// with 413 and the connection closed before the body is read.
        public var bodyBytes: Int

        public static let standard = Limits(connections: 32, idleTimeout: .seconds(15), bodyBytes: 1024)

        public init(connections: Int, idleTimeout: Duration, bodyBytes: Int) {
            self.connections = connections
            self.idleTimeout = idleTimeout
            self.bodyBytes = bodyBytes
        }
    }

    /// - Parameters:
    ///   - metricsToken: The bearer token `/metrics` requires, or `nil` for none.
    ///   - onListening: Receives the bound port (useful with port 0).
    public init(
        host: CogHost, address: OperationsAddress, metrics: MetricsExporter = .shared, metricsToken: OperationsToken? = nil,
        limits: Limits = .standard, logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.host = host
        self.address = address
        self.metrics = metrics
        self.metricsToken = metricsToken
        self.limits = limits
        self.logger = logger
        self.onListening = onListening
    }

    /// Serves until a graceful shutdown or cancellation.
    public func run() async throws {
        let router = Router(context: OperationsRequestContext.self)
        router.add(middleware: RequestBodyLimit(bytes: limits.bodyBytes))
        let host = self.host
        let metrics = self.metrics
        let metricsToken = self.metricsToken
        router.get("health") { _, _ in
            // Liveness answers from memory: a locked database makes the bot not ready, not dead.
            try Self.json(.ok, Liveness(status: "ok", uptimeSeconds: host.uptime))
        }
        router.get("ready") { _, _ in
            let health = await host.health()
            return try Self.json(health.isReady ? .ok : .serviceUnavailable,
                                 Readiness(ready: health.isReady, reasons: health.notReadyBecause,
                                           databaseWritable: health.databaseWritable, gateway: health.connection?.summary ?? "not connected",
                                           cogs: health.cogs.filter { $0.generation != nil }.map(\.name)))
        }
        router.get("health/discord") { _, _ in
            let connection = host.connectionHealth
            return try Self.json(connection?.isReady == true ? .ok : .serviceUnavailable,
                                 DiscordStatus(state: connection?.summary ?? "not connected",
                                               latencyMilliseconds: connection?.latencyMilliseconds,
                                               lastEventAgeSeconds: connection?.lastEventAgeSeconds,
                                               resumable: connection.map { !$0.shards.isEmpty && $0.shards.allSatisfy(\.resumable) } ?? false,
                                               shards: connection?.shards ?? []))
        }
        router.get("metrics") { request, _ in
            if let metricsToken, !metricsToken.authorizes(request.headers[.authorization]) {
                return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer", .contentType: "text/plain; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: "/metrics needs Authorization: Bearer <COGWHEEL_OPS_TOKEN>\n")))
            }
            let body = metrics.exposition(await host.health())
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        var serverLogger = logger
        serverLogger.logLevel = max(logger.logLevel, .warning)
        let onListening = self.onListening
        let application = Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .milliseconds(Int64(limits.idleTimeout.milliseconds)))),
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: nil,
                                 availableConnectionsDelegate: MaximumAvailableConnections(limits.connections, logger: serverLogger)),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? address.port) },
            logger: serverLogger
        )
        do {
            try await application.run()
        } catch {
            // The bot keeps serving Discord without its endpoints; the alert rules notice.
            logger.critical("the operations endpoints are down", metadata: ["address": "\(address)", "error": "\(error)"])
            try? await gracefulShutdown()
        }
    }

    private static func json(_ status: HTTPResponse.Status, _ body: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(body))))
    }

    struct Liveness: Encodable {
        var status: String
        var uptimeSeconds: Double
    }

    struct Readiness: Encodable {
        var ready: Bool
        var reasons: [String]
        var databaseWritable: Bool
        var gateway: String
        var cogs: [String]
    }

    struct DiscordStatus: Encodable {
        var state: String
        var latencyMilliseconds: Double?
        var lastEventAgeSeconds: Double?
        var resumable: Bool
        var shards: [ConnectionHealth.Shard]
    }
}

/// The request context of the operations endpoints: Hummingbird's basic context plus the
/// connection, so an oversized request can be cut off instead of drained.
struct OperationsRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Refuses a request whose body is larger than the limit, or of unknown length (chunked),
/// with 413, and stops reading the connection: Hummingbird would otherwise read an unread body
/// to its end before closing, however long it is.
struct RequestBodyLimit: RouterMiddleware {
    let bytes: Int

    func handle(_ request: Request, context: OperationsRequestContext,
                next: (Request, OperationsRequestContext) async throws -> Response) async throws -> Response {
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        let chunked = request.headers[.transferEncoding] != nil
        guard chunked || (declared ?? 0) > bytes else { return try await next(request, context) }
        context.channel.close(mode: .input, promise: nil)
        return Response(status: .contentTooLarge, headers: [.connection: "close", .contentType: "text/plain; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: "the operations endpoints take no request body (at most \(bytes) bytes)\n")))
    }
}

/// The bearer token `/metrics` asks for (`COGWHEEL_OPS_TOKEN`). Compared in constant time, and
/// never printed.
public struct OperationsToken: Sendable, Equatable, CustomStringConvertible {
    private let token: [UInt8]

    /// - Returns: `nil` for an empty value (no token).
    public init?(_ text: String) {
        guard !text.isEmpty else { return nil }
        token = Array(text.utf8)
    }

    /// Whether an `Authorization` header carries this token.
    func authorizes(_ header: String?) -> Bool {
        guard let header, header.hasPrefix("Bearer ") else { return false }
        let offered = Array(header.utf8.dropFirst("Bearer ".utf8.count))
        guard offered.count == token.count else { return false }
        return zip(offered, token).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    public var description: String { "a token (\(token.count) characters; not shown)" }
}

/// Where the operations server listens: `host:port` (`COGWHEEL_OPS_ADDRESS`, default
/// `127.0.0.1:9464`), or `off`.
public struct OperationsAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public static let defaultAddress = OperationsAddress(host: "127.0.0.1", port: 9464)

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`; `nil` for `off`.
    /// - Throws: ``OperationsAddressError`` naming the variable and what is expected.
    public static func parse(_ text: String, variable: String = "COGWHEEL_OPS_ADDRESS") throws(OperationsAddressError) -> OperationsAddress? {
        if text == "off" { return nil }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port),
              colon != text.startIndex
        else {
            throw OperationsAddressError(description: "\(variable) must be host:port (like 127.0.0.1:9464) or off, not \(SettingValue.shown(text))")
        }
        return OperationsAddress(host: String(text[..<colon]), port: port)
    }

    public var description: String { "\(host):\(port)" }
}

/// An address setting is invalid; the message names the variable and what it expects.
public struct OperationsAddressError: Error, Sendable, CustomStringConvertible {
    public let description: String
}
