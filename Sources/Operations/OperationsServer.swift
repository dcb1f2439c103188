import CogHost
import DiscordModels
import Foundation
import Hummingbird
import Logging
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
/// Bodies are JSON (except `/metrics`) and never carry the token or other settings.
///
/// It is a ``Service`` (Hummingbird's application runs inside the bot's service group, which
/// alone handles signals) and the last one to stop, so `/ready` can say "shutting down" while
/// everything else drains.
public struct OperationsServer: Service {
    let host: CogHost
    let address: OperationsAddress
    let metrics: MetricsExporter
    let logger: Logger
    let onListening: @Sendable (Int) async -> Void

    /// - Parameter onListening: Receives the bound port (useful with port 0).
    public init(
        host: CogHost, address: OperationsAddress, metrics: MetricsExporter = .shared, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.host = host
        self.address = address
        self.metrics = metrics
        self.logger = logger
        self.onListening = onListening
    }

    /// Serves until a graceful shutdown or cancellation.
    public func run() async throws {
        let router = Router()
        let host = self.host
        let metrics = self.metrics
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
        router.get("metrics") { _, _ in
            let body = metrics.exposition(await host.health())
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        var serverLogger = logger
        serverLogger.logLevel = max(logger.logLevel, .warning)
        let onListening = self.onListening
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: nil),
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
