import BotTestSupport
import CogwheelTestSupport
import DiscordGateway
import DiscordModels
import DiscordSimulator
import Foundation
import Logging
import Synchronization

/// One gateway shard connected to the simulator, recording the events it delivers.
struct GatewayHarness: Sendable {
    let discord: DiscordSimulator
    let shard: GatewayShard
    let events: EventLog

    /// The events a shard delivered, in order.
    final class EventLog: Sendable {
        private let entries = Mutex<[(name: String, sequence: Int64, payload: String)]>([])

        func append(_ dispatch: GatewayDispatch) {
            let payload = String(decoding: dispatch.payload, as: UTF8.self)
            entries.withLock { $0.append((dispatch.name.rawValue, dispatch.sequence, payload)) }
        }

        /// The payloads of events named `name`.
        func payloads(of name: String) -> [String] {
            entries.withLock { $0.filter { $0.name == name }.map(\.payload) }
        }

        var sequences: [Int64] { entries.withLock { $0.map(\.sequence) } }
    }

    /// Runs `body` with a connected shard; returns how the shard's run ended.
    @discardableResult
    static func withShard(
        simulator configure: @Sendable (inout SimulatorConfiguration) -> Void = { _ in },
        gateway configureGateway: @Sendable (inout GatewayConfiguration) -> Void = { _ in },
        token: String = BotHarness.token,
        resuming session: ResumableSession? = nil,
        waitForReady: Bool = true,
        _ body: @Sendable (GatewayHarness) async throws -> Void
    ) async throws -> (any Error)? {
        var simulatorConfiguration = SimulatorConfiguration(token: BotHarness.token)
        // Long enough that a loaded machine (the process tests' CPU-bound statements run beside
        // these) does not miss an ACK and reconnect under a test that injects something else;
        // the heartbeat tests set their own.
        simulatorConfiguration.heartbeatInterval = 3_000
        configure(&simulatorConfiguration)
        return try await DiscordSimulator.withRunning(simulatorConfiguration, logger: BotHarness.quietLogger) { discord in
            var configuration = GatewayConfiguration(token: BotToken(token))
            configuration.reconnectBase = .milliseconds(20)
            configuration.invalidSessionDelay = 0.05...0.1
            // Heartbeats every few hundred ms would spend Discord's 120-per-minute budget by themselves.
            configuration.sendLimit = 10_000
            configureGateway(&configuration)
            let limits = GatewayBotInfo.SessionStartLimit(total: 1000, remaining: 1000, resetAfter: 0, maxConcurrency: 1)
            let events = EventLog()
            let shard = GatewayShard(
                id: 0, count: 1, gatewayURL: discord.gatewayURL, configuration: configuration,
                identifyLimiter: IdentifyLimiter(sessionStartLimit: limits, interval: .milliseconds(1)),
                resuming: session, logger: BotHarness.quietLogger
            ) { events.append($0) }
            let harness = GatewayHarness(discord: discord, shard: shard, events: events)
            return try await withThrowingTaskGroup(of: (any Error)?.self) { group in
                group.addTask {
                    do {
                        try await shard.run()
                        return nil
                    } catch {
                        return error
                    }
                }
                if waitForReady {
                    try await BotHarness.waitUntil("the shard is ready") { shard.status.state == .ready }
                }
                do {
                    try await body(harness)
                } catch {
                    await shard.stop()
                    throw error
                }
                await shard.stop()
                return try await group.next() ?? nil
            }
        }
    }

    /// Dispatches `count` numbered TEST_EVENT events starting at `first`.
    func dispatchNumbered(_ range: Range<Int>) {
        for number in range { discord.dispatch("TEST_EVENT", data: Array("{\"n\":\(number)}".utf8)) }
    }

    /// The numbers of the TEST_EVENT events received, in order.
    var receivedNumbers: [Int] {
        events.payloads(of: "TEST_EVENT").compactMap { payload in
            (try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Int])?["n"]
        }
    }
}
