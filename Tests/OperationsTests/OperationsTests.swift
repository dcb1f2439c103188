import BotTestSupport
import AsyncHTTPClient
import CogwheelTestSupport
import BotRuntime
import CogHost
import DiscordSimulator
import Foundation
import Glibc
import NIOCore
import Operations
import Testing

/// The operations surface against a bot connected to the simulator: readiness through a
/// dropped connection, Prometheus metrics that move with commands, the heartbeat file, the
/// systemd notifications, the `/health` command, and no token anywhere.
@Suite struct OperationsTests {
    @Test func readinessFollowsTheConnection() async throws {
        let notConnected = try await withOperations(connect: false) { _, server in try await server.get("/ready") }
        #expect(notConnected.status == 503)
        #expect(notConnected.json["reasons"] as? [String] == ["not connected to Discord"])

        try await withOperations(heartbeatMilliseconds: 150) { harness, server in
            // Heartbeats every 150 ms can miss an ACK on a loaded machine; wait for a steady READY.
            let ready = try await server.waitForReady()
            #expect(ready.status == 200, "\(ready.text)")
            #expect(ready.json["ready"] as? Bool == true)
            #expect((ready.json["cogs"] as? [String])?.sorted() == ["dice", "ping"])

            // Heartbeats go unanswered: the shard declares the connection a zombie and resumes.
            harness.discord.inject(.stopHeartbeatAcks)
            try await harness.waitUntil("the session resumes", timeout: .seconds(20)) { harness.shard.resumes == 1 }
            try await harness.waitUntil("the shard is ready again") { harness.shard.state == .ready }
            let again = try await server.waitForReady()
            #expect(again.status == 200, "\(again.text)")
            // 150 ms heartbeats may miss another ACK under load; the endpoint settles on ready.
            var discord = try await server.get("/health/discord")
            for _ in 0..<50 where discord.status != 200 {
                try await Task.sleep(for: .milliseconds(100))
                discord = try await server.get("/health/discord")
            }
            #expect(discord.status == 200)
            #expect(discord.json["state"] as? String == "ready")
            #expect(discord.json["resumable"] as? Bool == true)
            let metrics = try await server.get("/metrics")
            #expect((Self.sample(metrics.text, "cogwheel_gateway_resumes_total", ["shard": "0"]) ?? 0) >= 1)

            // A dropped connection: not ready while the shard reconnects, and /health/discord says so.
            harness.discord.inject(.dropConnection)
            try await harness.waitUntil("the shard notices") { harness.shard.state != .ready }
            let reconnecting = try await server.get("/ready")
            let reasons = reconnecting.json["reasons"] as? [String] ?? []
            if reconnecting.status == 503 {
                #expect(reasons.allSatisfy { $0.hasPrefix("the gateway is ") }, "\(reasons)")
            }
            #expect(try await server.get("/health").status == 200)
            try await harness.waitUntil("the session resumes again", timeout: .seconds(20)) { harness.shard.resumes == 2 }
        }
    }

    @Test("/ready and /metrics answer from memory while something holds the database's writer")
    func readinessNeverWaitsForTheWriter() async throws {
        try await withOperations { harness, server in
            #expect(try await server.waitForReady().status == 200)
            let database = harness.host.database
            let holding = Thread {
                try? database.write { _ in Thread.sleep(forTimeInterval: 3) }
            }
            holding.start()
            try await Task.sleep(for: .milliseconds(200))
            let started = ContinuousClock.now
            let ready = try await server.get("/ready")
            let metrics = try await server.get("/metrics")
            let took = ContinuousClock.now - started
            #expect(ready.status == 200 && metrics.status == 200)
            #expect(took < .seconds(2), "the writer was held for 3 s; /ready and /metrics took \(took)")
        }
    }

    @Test func metricsParseAsPrometheusTextAndMoveWithCommands() async throws {
        try await withOperations { harness, server in
            _ = try await harness.discord.run("/roll 2d6", as: BotHarness.player)
            let before = try await server.get("/metrics")
            // Metrics are process-wide and other tests run alongside: compare differences.
            let rolls = Self.sample(before.text, "cogwheel_commands_total", ["cog": "dice", "command": "roll", "outcome": "ok"]) ?? 0
            let reloads = Self.sample(before.text, "cogwheel_reloads_total", ["cog": "dice", "result": "ok"]) ?? 0
            _ = try await harness.discord.run("/roll 1d20", as: BotHarness.player)
            _ = try await harness.discord.run("/reload dice", as: BotHarness.admin)
            let after = try await server.get("/metrics")
            #expect(after.contentType?.hasPrefix("text/plain; version=0.0.4") == true)
            let samples = try Self.parseExposition(after.text)
            #expect(Self.sample(after.text, "cogwheel_commands_total", ["cog": "dice", "command": "roll", "outcome": "ok"]) ?? 0 > rolls)
            #expect(Self.sample(after.text, "cogwheel_reloads_total", ["cog": "dice", "result": "ok"]) ?? 0 > reloads)
            #expect(Self.sample(after.text, "cogwheel_cog_generation", ["cog": "dice"]) == 2)
            #expect(Self.sample(after.text, "cogwheel_ready", [:]) == 1)
            #expect((Self.sample(after.text, "process_resident_memory_bytes", [:]) ?? 0) > 1_000_000)
            #expect(samples.contains("cogwheel_command_duration_seconds_bucket"))
            #expect(samples.contains("cogwheel_gateway_events_total"))
            #expect(samples.contains("cogwheel_rest_requests_total"))

            // Every metric the shipped alert rules and dashboard use exists (those that only
            // appear after their first event are listed).
            let appearsLater: Set = ["cogwheel_gateway_reconnects_total", "cogwheel_gateway_resumes_total",
                                     "cogwheel_rest_rate_limited_total", "cogwheel_gateway_heartbeat_latency_seconds"]
            for name in try Self.metricNamesUsedInDeployFiles() where !appearsLater.contains(name) {
                #expect(samples.contains(name), "deploy/ uses \(name), which /metrics does not export")
            }
        }
    }

    @Test func healthCommandAndEndpointsNeverShowTheToken() async throws {
        try await withOperations { harness, server in
            let answers = try await harness.discord.run("/health", as: BotHarness.admin)
            let embed = String(decoding: answers.last?.message ?? [], as: UTF8.self)
            #expect(embed.contains("Healthy"))
            #expect(embed.contains("dice"))
            for path in ["/health", "/ready", "/health/discord", "/metrics"] {
                let response = try await server.get(path)
                #expect(response.status == 200, "\(path)")
                #expect(!response.text.contains(BotHarness.token), "\(path) shows the token")
            }
        }
    }

    @Test func heartbeatFileStaysFreshAndSystemdHearsReadyAndWatchdog() async throws {
        try await BotHarness.withBot { harness in
            let directory = harness.directory
            let socketPath = directory.appendingPathComponent("notify.sock").path
            let listener = try DatagramListener(path: socketPath)
            defer { listener.close() }
            let heartbeat = HeartbeatFile(file: directory.appendingPathComponent("heartbeat.json"))
            let watchdog = Watchdog(host: harness.host, heartbeat: heartbeat,
                                    systemd: SystemdNotifier(environment: ["NOTIFY_SOCKET": socketPath, "WATCHDOG_USEC": "400000"]),
                                    interval: .seconds(10), logger: BotHarness.quietLogger)
            let messages = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await watchdog.run() }
                try await harness.waitUntil("a heartbeat is written") { FileManager.default.fileExists(atPath: heartbeat.file.path) }
                let first = try HeartbeatFile.read(heartbeat.file)
                #expect(first.ready)
                #expect(first.gateway == "ready")
                #expect(first.pid == getpid())
                // WATCHDOG_USEC of 0.4 s makes the beat every 0.2 s, not every 10 s: three beats
                // come within seconds (the interval configured above would take 20 s).
                var messages: [String] = []
                try await harness.waitUntil("three watchdog beats", timeout: .seconds(8)) {
                    messages += listener.receivedMessages()
                    return messages.filter { $0.contains("WATCHDOG=1") }.count >= 3
                }
                let later = try HeartbeatFile.read(heartbeat.file)
                #expect(later.time > first.time)
                group.cancelAll()
                try? await group.waitForAll()
                messages += listener.receivedMessages()
                return messages
            }
            #expect(messages.first?.hasPrefix("READY=1\nWATCHDOG=1\nSTATUS=ready") == true)
            #expect(messages.filter { $0.contains("WATCHDOG=1") }.count >= 3)
            #expect(messages.filter { $0.contains("READY=1") }.count == 1)
        }
    }

    @Test func crashLoopBackOffDoublesUpToTheMaximumAndForgetsOldCrashes() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("crash-history-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let guardian = CrashLoopGuard(file: file, window: .seconds(600), threshold: 3, baseDelay: .seconds(10), maxDelay: .seconds(60))
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let delays = try (0..<6).map { try guardian.recordCrash(at: start.addingTimeInterval(Double($0) * 60)).delay }
        #expect(delays == [.zero, .zero, .seconds(10), .seconds(20), .seconds(40), .seconds(60)])
        // An hour later every earlier crash is outside the window.
        let later = try guardian.recordCrash(at: start.addingTimeInterval(3600))
        #expect(later == CrashLoopGuard.Decision(recentCrashes: 1, delay: .zero))
        try Data("garbage".utf8).write(to: file)
        #expect(try guardian.recordCrash(at: start.addingTimeInterval(7200)).recentCrashes == 1, "a damaged history never stops a start")
    }

    @Test func invalidOperationsSettingsAreEachNamed() throws {
        let directory = URL(fileURLWithPath: "/tmp/data")
        #expect(throws: OperationsSettingsError.self) {
            try OperationsSettings.fromEnvironment(["COGWHEEL_OPS_ADDRESS": "localhost"], dataDirectory: directory)
        }
        do {
            _ = try OperationsSettings.fromEnvironment(["COGWHEEL_OPS_ADDRESS": "9464", "COGWHEEL_HEARTBEAT_SECONDS": "0",
                                                        "COGWHEEL_OPS_TOKEN": "scrape secret"],
                                                       dataDirectory: directory)
            Issue.record("invalid settings were accepted")
        } catch let error as OperationsSettingsError {
            #expect(error.problems.count == 3)
            #expect(error.problems[0].hasPrefix("COGWHEEL_OPS_ADDRESS must be host:port"))
            #expect(error.problems[1].hasPrefix("COGWHEEL_OPS_TOKEN must be printable ASCII"))
            #expect(error.problems[2].hasPrefix("COGWHEEL_HEARTBEAT_SECONDS must be"))
            #expect(!error.description.contains("scrape"))
        }
        do {
            _ = try OperationsSettings.fromEnvironment([
                "COGWHEEL_CRASH_WINDOW_SECONDS": "soon", "COGWHEEL_CRASH_LOOP_AFTER": "0",
                "COGWHEEL_NOTIFY_WEBHOOK": "discord.com/api/webhooks/1/secret-token", "COGWHEEL_NOTIFY_CHANNEL": "#ops",
            ], dataDirectory: directory)
            Issue.record("invalid settings were accepted")
        } catch let error as OperationsSettingsError {
            #expect(error.problems.map { $0.prefix(while: { $0 != " " }) }
                == ["COGWHEEL_CRASH_WINDOW_SECONDS", "COGWHEEL_CRASH_LOOP_AFTER", "COGWHEEL_NOTIFY_WEBHOOK", "COGWHEEL_NOTIFY_CHANNEL"])
            #expect(!error.description.contains("secret-token"))
        }
        let settings = try OperationsSettings.fromEnvironment(["COGWHEEL_OPS_ADDRESS": "off", "COGWHEEL_HEARTBEAT_FILE": "off"],
                                                              dataDirectory: directory)
        #expect(settings.address == nil)
        #expect(settings.heartbeatFile == nil)
        #expect(try OperationsSettings.fromEnvironment([:], dataDirectory: directory).address == .defaultAddress)
    }

    @Test("idle connections are closed, request bodies refused before they are read, and /metrics can require a token")
    func theEndpointsAreBounded() async throws {
        let limits = OperationsServer.Limits(connections: 4, idleTimeout: .seconds(1), bodyBytes: 1024)
        try await withOperations(connect: false, limits: limits, metricsToken: OperationsToken("scrape-secret")) { _, server in
            // Twice the connection limit, all silent: the first four are closed after a second
            // idle, then the four that waited in the backlog.
            let idle = try (0..<8).map { _ in try RawConnection(port: server.port) }
            let closedAt = try await withThrowingTaskGroup(of: Duration.self) { group in
                let start = ContinuousClock.now
                for connection in idle {
                    group.addTask { try connection.waitForClose(within: .seconds(8)); return ContinuousClock.now - start }
                }
                return try await group.reduce(into: [Duration]()) { $0.append($1) }
            }
            #expect(closedAt.allSatisfy { $0 < .seconds(6) }, "\(closedAt)")
            #expect(try await server.get("/health").status == 200)

            // A 200 MB upload is cut off at its head: 413, and the connection is closed while the
            // client is still sending.
            let upload = try RawConnection(port: server.port)
            try upload.send("POST /health HTTP/1.1\r\nHost: ops\r\nContent-Length: 200000000\r\n\r\n")
            var sent = 0
            while sent < 200_000_000, (try? upload.send(String(repeating: "x", count: 65_536))) != nil { sent += 65_536 }
            #expect(sent < 50_000_000, "the server read \(sent) bytes of a body it refuses")
            let chunked = try RawConnection(port: server.port)
            try chunked.send("POST /ready HTTP/1.1\r\nHost: ops\r\nTransfer-Encoding: chunked\r\n\r\n")
            #expect(try chunked.readAll(within: .seconds(5)).hasPrefix("HTTP/1.1 413"))

            let anonymous = try await server.get("/metrics")
            #expect(anonymous.status == 401)
            #expect(!anonymous.text.contains("scrape-secret"))
            #expect(try await server.get("/metrics", bearer: "scrape-secreT").status == 401)
            #expect(try await server.get("/metrics", bearer: "scrape-secret").status == 200)
            #expect(try await server.get("/ready").status == 503, "the probes need no token")
        }
    }

    // MARK: Helpers

    /// A bot connected to the simulator (or, with `connect: false`, only its host) with the
    /// operations server on a free loopback port.
    private func withOperations<T: Sendable>(
        connect: Bool = true, heartbeatMilliseconds: Int = 41_250, limits: OperationsServer.Limits = .standard,
        metricsToken: OperationsToken? = nil,
        _ body: @Sendable @escaping (BotHarness, OperationsClient) async throws -> T
    ) async throws -> T {
        let serve: @Sendable (BotHarness) async throws -> T = { harness in
            let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
            let server = OperationsServer(host: harness.host, address: OperationsAddress(host: "127.0.0.1", port: 0),
                                          metrics: .shared, metricsToken: metricsToken, limits: limits,
                                          logger: BotHarness.quietLogger) { continuation.yield($0) }
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                defer { group.cancelAll() }
                var iterator = ports.makeAsyncIterator()
                guard let port = await iterator.next() else { throw TestSetupError("the operations server did not start") }
                let client = OperationsClient(port: port)
                do {
                    let result = try await body(harness, client)
                    try await client.shutdown()
                    return result
                } catch {
                    try await client.shutdown()
                    throw error
                }
            }
        }
        if connect {
            return try await BotHarness.withBot(simulator: { $0.heartbeatInterval = heartbeatMilliseconds }, serve)
        }
        return try await BotHarness.withHostOnly(serve)
    }

    /// The value of the sample `name{labels}` (labels matched exactly), or `nil`.
    static func sample(_ exposition: String, _ name: String, _ labels: [String: String]) -> Double? {
        for line in exposition.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let series = line[..<space]
            let seriesName = series.prefix { $0 != "{" }
            guard seriesName == name else { continue }
            var found: [String: String] = [:]
            if let open = series.firstIndex(of: "{") {
                for pair in series[series.index(after: open)..<series.index(before: series.endIndex)].split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else { continue }
                    found[String(parts[0])] = String(parts[1].dropFirst().dropLast())
                }
            }
            if found == labels { return Double(line[line.index(after: space)...]) }
        }
        return nil
    }

    /// Checks the text format line by line; returns the metric names seen in samples.
    static func parseExposition(_ text: String) throws -> Set<String> {
        let sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$/
        let commentLine = /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*$/
        var names: Set<String> = []
        for line in text.split(separator: "\n") {
            if line.wholeMatch(of: commentLine) != nil { continue }
            guard let match = line.wholeMatch(of: sampleLine) else {
                throw TestSetupError("not Prometheus text format: \(line)")
            }
            names.insert(String(match.1))
        }
        return names
    }

    /// `cogwheel_*` and `process_*` metric names in deploy/prometheus/alerts.yml and the Grafana
    /// dashboard, without the histogram suffixes Prometheus adds.
    static func metricNamesUsedInDeployFiles() throws -> Set<String> {
        let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("deploy")
        var names: Set<String> = []
        for file in ["prometheus/alerts.yml", "grafana/cogwheel-dashboard.json"] {
            let text = try String(contentsOf: deploy.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: /(cogwheel|process)_[a-z_]+/) {
                names.insert(String(match.0))
            }
        }
        return names
    }
}

/// A Unix datagram socket standing in for systemd's notify socket.
final class DatagramListener: Sendable {
    private let descriptor: Int32

    init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard descriptor >= 0, bound == 0 else { throw TestSetupError("cannot bind \(path): \(String(cString: strerror(errno)))") }
    }

    /// Every datagram received so far.
    func receivedMessages() -> [String] {
        var messages: [String] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            guard count > 0 else { return messages }
            messages.append(String(decoding: buffer[0..<count], as: UTF8.self))
        }
    }

    func close() {
        _ = Glibc.close(descriptor)
    }
}

/// A blocking TCP connection to loopback for the tests that need what an HTTP client hides:
/// silence, a body that never ends, and the server closing first.
final class RawConnection: @unchecked Sendable {
    private let socket: Int32

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestSetupError("connect to 127.0.0.1:\(port) failed: errno \(errno)") }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(socket) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw TestSetupError("send failed: errno \(errno)") }
            offset += written
        }
    }

    /// Everything the server sends until it closes (or resets) the connection.
    func readAll(within limit: Duration) throws -> String {
        var received: [UInt8] = []
        let deadline = ContinuousClock.now + limit
        var buffer = [UInt8](repeating: 0, count: 4096)
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        while ContinuousClock.now < deadline {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count > 0 {
                received += buffer[..<count]
            } else if count == 0 || errno != EAGAIN {
                return String(decoding: received, as: UTF8.self)
            }
        }
        throw TestSetupError("the server kept the connection open for \(limit)")
    }

    func waitForClose(within limit: Duration) throws {
        _ = try readAll(within: limit)
    }
}
