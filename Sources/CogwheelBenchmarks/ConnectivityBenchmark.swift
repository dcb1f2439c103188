import BotRuntime
import CogHost
import DiscordGateway
import DiscordModels
import DiscordSimulator
import Foundation
import Logging

/// The network paths, on loopback against the simulator in the same process: gateway ingest
/// (WebSocket frame → envelope → routing facts → cog), command round trips through gateway
/// and REST, and start-up to READY. ``SideBySideBenchmark`` pairs the ingest and round-trip
/// figures with discord.py's; ``run()`` measures what only Cogwheel has.
struct ConnectivityBenchmark {
    let host: CogHost
    let workspace: URL
    let events: Int
    let roundTrips: Int
    let logger: Logger

    static let token = "benchmark-token"

    func run() async throws -> [BenchmarkRow] {
        let ping = try await Self.pingInteraction(host: host)
        let figures = try await ingest(event: "INTERACTION_CREATE", payload: ping, count: events, compression: true)
        return [BenchmarkRow(label: "ingest INTERACTION_CREATE → C cog handler (zlib-stream)", value: figures.perSecond, unit: "events/s"),
                try await startupToReady()]
    }

    /// A `/ping` INTERACTION_CREATE for the host's C cog.
    static func pingInteraction(host: CogHost) async throws -> [UInt8] {
        var factory = InteractionFactory(applicationID: 1)
        return try factory.command(line: "/ping", definitions: await host.commandDefinitions(),
                                   as: .init(id: 7, username: "bench"), guildID: 900_000_000_000_000_001, channelID: 2)
    }

    static let largeGuildFixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures/guild_create_large__serenity_d.json")

    /// A simulator that never rate-limits and keeps enough frames for a resume.
    static func simulatorConfiguration() -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration(token: Self.token)
        configuration.replayBufferSize = 2_000
        configuration.globalLimit = 1_000_000
        configuration.defaultLimit = .init(limit: 1_000_000, window: 1)
        return configuration
    }

    /// Events per second from the simulator's WebSocket frames until the last reached the
    /// handler: the router and its cog for interactions, the dispatch callback otherwise.
    func ingest(event: String, payload: [UInt8], count: Int, compression: Bool = false) async throws -> IngestFigures {
        let router = host.router
        let responder = CountingResponder()
        return try await DiscordSimulator.withRunning(Self.simulatorConfiguration(), logger: logger) { discord in
            let received = SharedCounter()
            let (interactions, delivered) = AsyncStream.makeStream(of: [UInt8].self)
            var gateway = GatewayConfiguration(token: BotToken(Self.token), compression: compression)
            gateway.sendLimit = 1_000_000
            let limits = GatewayBotInfo.SessionStartLimit(total: 1000, remaining: 1000, resetAfter: 0, maxConcurrency: 1)
            let shard = GatewayShard(id: 0, count: 1, gatewayURL: discord.gatewayURL, configuration: gateway,
                                     identifyLimiter: IdentifyLimiter(sessionStartLimit: limits), logger: logger) { dispatch in
                guard dispatch.name.rawValue == event else { return }
                if event == "INTERACTION_CREATE" {
                    delivered.yield(Array(dispatch.payload))
                } else {
                    received.increment()
                }
            }
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    defer { delivered.finish() }
                    try await shard.run()
                }
                // As the bot does: each interaction is handled in its own child task.
                group.addTask {
                    await withDiscardingTaskGroup { handlers in
                        for await payload in interactions {
                            handlers.addTask {
                                await router.handle(interaction: payload, responder: responder)
                                received.increment()
                            }
                        }
                    }
                }
                while shard.status.state != .ready { try await Task.sleep(for: .milliseconds(1)) }
                let cpu = CPUTime.now()
                let started = ContinuousClock.now
                for _ in 0..<count { discord.dispatch(event, data: payload) }
                while received.value < count { try await Task.sleep(for: .microseconds(200)) }
                let elapsed = (ContinuousClock.now - started).milliseconds / 1000
                let cpuSeconds = CPUTime.now() - cpu
                await shard.stop()
                try await group.waitForAll()
                print(String(format: "  Cogwheel ingest %@%@: %.0f events/s (%.2f CPU-s for simulator and bot together)", event,
                             compression ? " (zlib-stream)" : "", Double(count) / elapsed, cpuSeconds))
                return IngestFigures(perSecond: Double(count) / elapsed, cpuSeconds: cpuSeconds)
            }
        }
    }

    /// Commands sent as INTERACTION_CREATE and answered through the callback endpoint, with
    /// `inFlight` players at once: latency quantiles and throughput.
    func roundTrip(inFlight: Int) async throws -> RoundTripFigures {
        try await DiscordSimulator.withRunning(Self.simulatorConfiguration(), logger: logger) { discord in
            var configuration = BotConfiguration(token: BotToken(Self.token), apiBase: discord.apiBase)
            configuration.compression = false
            let figures = try await DiscordBot.withRunning(configuration: configuration, host: freshHostConfiguration(),
                                                           logger: logger) { [roundTrips] _ in
                try await Self.measureRoundTrips(inFlight: inFlight, total: roundTrips, discord: discord)
            }
            print(figures.summary("Cogwheel round trip at \(inFlight) in flight"))
            return figures
        }
    }

    /// `total` `/ping` commands from `inFlight` players at once, each waiting for its answer.
    static func measureRoundTrips(inFlight: Int, total: Int, discord: DiscordSimulator) async throws -> RoundTripFigures {
        let started = ContinuousClock.now
        let latencies = try await players(inFlight, commands: max(1, total / inFlight), discord: discord)
        let elapsed = (ContinuousClock.now - started).milliseconds / 1000
        return RoundTripFigures(p50: latencies.quantile(0.5), p99: latencies.quantile(0.99),
                                throughput: Double(latencies.count) / elapsed)
    }

    /// Runs `count` players sending `/ping` one after another; returns every latency in ms.
    private static func players(_ count: Int, commands: Int, discord: DiscordSimulator) async throws -> [Double] {
        try await withThrowingTaskGroup(of: [Double].self) { players in
            for player in 0..<count {
                players.addTask {
                    let invoker = InteractionFactory.Invoker(id: 800_000_000_000_001_000 + UInt64(player), username: "p\(player)")
                    var samples: [Double] = []
                    for _ in 0..<commands {
                        let sent = ContinuousClock.now
                        let id = try discord.sendCommand("/ping", as: invoker)
                        guard await discord.waitForAnswers(to: id) else { throw SimulatorError.noAnswer("/ping") }
                        samples.append((ContinuousClock.now - sent).milliseconds)
                    }
                    return samples
                }
            }
            return try await players.reduce(into: []) { $0 += $1 }
        }
    }

    /// A host of its own for one measurement (its data directory is locked while it runs),
    /// serving the bundled cogs the benchmark built.
    private func freshHostConfiguration() -> HostConfiguration {
        HostConfiguration(dataDirectory: workspace.appendingPathComponent("bot-\(UUID().uuidString)"),
                          cogsDirectory: host.configuration.cogsDirectory, autoload: ["dice", "ping"])
    }

    /// From starting a host (autoloading the bundled cogs) to the gateway's READY.
    private func startupToReady() async throws -> BenchmarkRow {
        try await DiscordSimulator.withRunning(Self.simulatorConfiguration(), logger: logger) { discord in
            let started = ContinuousClock.now
            let elapsed = try await DiscordBot.withRunning(
                configuration: BotConfiguration(token: BotToken(Self.token), apiBase: discord.apiBase), host: freshHostConfiguration(),
                logger: logger
            ) { _ in (ContinuousClock.now - started).milliseconds }
            print(String(format: "  start-up to READY: %.1f ms", elapsed))
            return BenchmarkRow(label: "start-up to READY (host + 2 cogs + REST + gateway)", value: elapsed, unit: "ms")
        }
    }
}

/// Events per second of one ingest measurement, and the CPU time it took.
struct IngestFigures {
    var perSecond: Double
    /// The measured process's CPU time (for Cogwheel in-process: bot and simulator together).
    var cpuSeconds: Double
    /// The simulator's own CPU time, when it ran in another process than the bot.
    var simulatorCPUSeconds: Double? = nil
}

/// Latency quantiles and throughput of one round-trip measurement.
struct RoundTripFigures {
    var p50: Double
    var p99: Double
    var throughput: Double

    func summary(_ label: String) -> String {
        String(format: "  %@: p50 %.3f ms, p99 %.3f ms, %.0f commands/s", label, p50, p99, throughput)
    }
}
