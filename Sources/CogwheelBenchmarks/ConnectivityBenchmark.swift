import BotRuntime
import CogHost
import DiscordGateway
import DiscordModels
import DiscordSimulator
import Foundation
import Logging

/// The network paths, on loopback against the simulator in the same process: gateway ingest
/// (WebSocket frame → envelope → routing facts → cog), command round trips through gateway
/// and REST, and start-up to READY.
struct ConnectivityBenchmark {
    let host: CogHost
    let workspace: URL
    let events: Int
    let roundTrips: Int
    let logger: Logger

    static let token = "benchmark-token"

    /// One measurement: a label and a value with its unit.

    func run() async throws -> [BenchmarkRow] {
        var rows: [BenchmarkRow] = []
        let definitions = await host.commandDefinitions()
        var factory = InteractionFactory(applicationID: 1)
        let ping = try factory.command(line: "/ping", definitions: definitions,
                                       as: .init(id: 7, username: "bench"), guildID: 900_000_000_000_000_001, channelID: 2)
        for compression in [false, true] {
            let suffix = compression ? " (zlib-stream)" : ""
            rows.append(try await ingest(event: "INTERACTION_CREATE", payload: ping, count: events, compression: compression,
                                         label: "ingest INTERACTION_CREATE → C cog handler\(suffix)"))
        }
        let message = Array(#"{"id":"1300000000000000001","channel_id":"900000000000000002","guild_id":"900000000000000001","type":0,"content":"hello there, general kenobi","author":{"id":"800000000000000002","username":"bob","discriminator":"0","global_name":"Bob","avatar":null},"timestamp":"2026-11-22T10:00:00.000000+00:00","edited_timestamp":null,"tts":false,"mention_everyone":false,"mentions":[],"mention_roles":[],"attachments":[],"embeds":[],"pinned":false,"flags":0,"components":[]}"#.utf8)
        rows.append(try await ingest(event: "MESSAGE_CREATE", payload: message, count: events, compression: false,
                                     label: "ingest MESSAGE_CREATE"))
        if let guild = try? Data(contentsOf: Self.largeGuildFixture) {
            let count = max(5, events / 2000)
            var row = try await ingest(event: "GUILD_CREATE", payload: Array(guild), count: count, compression: false,
                                       label: "ingest GUILD_CREATE (2.8 MB fixture)")
            row.value = row.value * Double(guild.count) / 1_000_000
            row.unit = "MB/s"
            rows.append(row)
        }
        for inFlight in [1, 16, 64] {
            rows += try await roundTrip(inFlight: inFlight)
            if DiscordPyBot.isAvailable {
                rows += try await discordPyRoundTrip(inFlight: inFlight)
            }
        }
        rows.append(try await startupToReady())
        return rows
    }

    static let largeGuildFixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures/guild_create_large__serenity_d.json")

    private func simulatorConfiguration() -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration(token: Self.token)
        configuration.replayBufferSize = 2_000
        configuration.globalLimit = 1_000_000
        configuration.defaultLimit = .init(limit: 1_000_000, window: 1)
        return configuration
    }

    /// Events per second from the simulator's WebSocket frames until the last reached the
    /// handler: the router and its cog for interactions, the dispatch callback otherwise.
    private func ingest(event: String, payload: [UInt8], count: Int, compression: Bool, label: String) async throws -> BenchmarkRow {
        let router = host.router
        let responder = CountingResponder()
        return try await DiscordSimulator.withRunning(simulatorConfiguration(), logger: logger) { discord in
            let received = SharedCounter()
            let (interactions, delivered) = AsyncStream.makeStream(of: [UInt8].self)
            var gateway = GatewayConfiguration(token: BotToken(Self.token), compression: compression)
            gateway.sendLimit = 1_000_000
            let limits = GatewayBotInfo.SessionStartLimit(total: 1000, remaining: 1000, resetAfter: 0, maxConcurrency: 1)
            let shard = GatewayShard(id: 0, count: 1, gatewayURL: discord.gatewayURL, configuration: gateway,
                                     identifyLimiter: IdentifyLimiter(sessionStartLimit: limits), logger: logger) { dispatch in
                guard dispatch.name == event else { return }
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
                print(String(format: "  %@: %.0f events/s (%.2f CPU-s for simulator and bot together)", label, Double(count) / elapsed, cpuSeconds))
                return BenchmarkRow(label: label, value: Double(count) / elapsed, unit: "events/s")
            }
        }
    }

    /// Commands sent as INTERACTION_CREATE and answered through the callback endpoint, with
    /// `inFlight` players at once: latency quantiles and throughput.
    private func roundTrip(inFlight: Int) async throws -> [BenchmarkRow] {
        try await DiscordSimulator.withRunning(simulatorConfiguration(), logger: logger) { discord in
            var configuration = BotConfiguration(token: BotToken(Self.token), apiBase: discord.apiBase)
            configuration.compression = false
            let bot = DiscordBot(configuration: configuration, host: host, logger: logger)
            return try await withThrowingTaskGroup(of: [Double].self) { group in
                group.addTask {
                    try await bot.run()
                    return []
                }
                while bot.shardStatuses.first?.state != .ready { try await Task.sleep(for: .milliseconds(1)) }
                let perPlayer = max(1, roundTrips / inFlight)
                let started = ContinuousClock.now
                let latencies: [Double]
                do {
                    latencies = try await players(inFlight, commands: perPlayer, discord: discord)
                } catch {
                    await bot.stop()
                    throw error
                }
                let elapsed = (ContinuousClock.now - started).milliseconds / 1000
                await bot.stop()
                _ = try await group.reduce(into: []) { $0 += $1 }
                return Self.rows("round trip at \(inFlight) in flight", latencies: latencies, seconds: elapsed)
            }
        }
    }

    /// The same round trip answered by an unmodified discord.py bot (`/echo`, one
    /// `send_message`), against the same simulator: the reference the targets compare with.
    private func discordPyRoundTrip(inFlight: Int) async throws -> [BenchmarkRow] {
        try await DiscordSimulator.withRunning(simulatorConfiguration(), logger: logger) { discord in
            try await DiscordPyBot.withRunning(discord, token: Self.token) {
                let perPlayer = max(1, roundTrips / inFlight / 4)
                let started = ContinuousClock.now
                let latencies = try await players(inFlight, commands: perPlayer, line: "/echo hi", discord: discord)
                let elapsed = (ContinuousClock.now - started).milliseconds / 1000
                return Self.rows("discord.py round trip at \(inFlight) in flight", latencies: latencies, seconds: elapsed)
            }
        }
    }

    /// The p50, p99 and throughput rows of one round-trip measurement, printed as they are made.
    private static func rows(_ label: String, latencies: [Double], seconds: Double) -> [BenchmarkRow] {
        let throughput = Double(latencies.count) / seconds
        print(String(format: "  %@: p50 %.3f ms, p99 %.3f ms, %.0f commands/s", label, latencies.quantile(0.5),
                     latencies.quantile(0.99), throughput))
        return [
            BenchmarkRow(label: "\(label): p50", value: latencies.quantile(0.5), unit: "ms"),
            BenchmarkRow(label: "\(label): p99", value: latencies.quantile(0.99), unit: "ms"),
            BenchmarkRow(label: "\(label): throughput", value: throughput, unit: "commands/s"),
        ]
    }

    /// Runs `count` players sending `line` one after another; returns every latency in ms.
    private func players(_ count: Int, commands: Int, line: String = "/ping", discord: DiscordSimulator) async throws -> [Double] {
        try await withThrowingTaskGroup(of: [Double].self) { players in
            for player in 0..<count {
                players.addTask {
                    let invoker = InteractionFactory.Invoker(id: 800_000_000_000_001_000 + UInt64(player), username: "p\(player)")
                    var samples: [Double] = []
                    for _ in 0..<commands {
                        let sent = ContinuousClock.now
                        let id = try discord.sendCommand(line, as: invoker)
                        guard await discord.waitForAnswers(to: id) else { throw SimulatorError.noAnswer(line) }
                        samples.append((ContinuousClock.now - sent).milliseconds)
                    }
                    return samples
                }
            }
            return try await players.reduce(into: []) { $0 += $1 }
        }
    }

    /// From starting a host (autoloading the bundled cogs) to the gateway's READY.
    private func startupToReady() async throws -> BenchmarkRow {
        try await DiscordSimulator.withRunning(simulatorConfiguration(), logger: logger) { discord in
            let directory = workspace.appendingPathComponent("startup-\(UUID().uuidString)")
            let started = ContinuousClock.now
            let configuration = HostConfiguration(dataDirectory: directory, cogsDirectory: host.configuration.cogsDirectory,
                                                  autoload: ["dice", "ping"])
            let (freshHost, _) = try await CogHost.start(configuration: configuration, logger: logger)
            let bot = DiscordBot(configuration: BotConfiguration(token: BotToken(Self.token), apiBase: discord.apiBase),
                                 host: freshHost, logger: logger)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await bot.run() }
                while bot.shardStatuses.first?.state != .ready { try await Task.sleep(for: .microseconds(200)) }
                let elapsed = (ContinuousClock.now - started).milliseconds
                await bot.stop()
                try await group.waitForAll()
                await freshHost.shutdown()
                print(String(format: "  start-up to READY: %.1f ms", elapsed))
                return BenchmarkRow(label: "start-up to READY (host + 2 cogs + REST + gateway)", value: elapsed, unit: "ms")
            }
        }
    }
}
