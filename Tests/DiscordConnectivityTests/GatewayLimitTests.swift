@testable import DiscordGateway
import DiscordModels
import Testing

@Suite("Gateway pacing: the send limit and identify concurrency")
struct GatewayLimitTests {
    @Test("other sends stop short of the limit; heartbeats still go out")
    func heartbeatsAreReserved() async throws {
        // 120 per minute with a 41.25 s heartbeat: 3 sends stay reserved for heartbeats.
        let limiter = GatewaySendLimiter(limit: 120, window: .seconds(60), heartbeatInterval: .milliseconds(41_250))
        for _ in 0..<117 { try await limiter.acquire(heartbeat: false) }
        let blocked = Task { try await limiter.acquire(heartbeat: false) }
        try await limiter.acquire(heartbeat: true)
        try await Task.sleep(for: .milliseconds(100))
        // Still waiting after 100 ms: cancelling it makes the wait throw instead of returning.
        blocked.cancel()
        await #expect(throws: CancellationError.self) { try await blocked.value }
    }

    @Test("identifies are paced per max_concurrency bucket (shard_id % max_concurrency)")
    func identifyBuckets() async throws {
        let limits = GatewayBotInfo.SessionStartLimit(total: 1000, remaining: 1000, resetAfter: 0, maxConcurrency: 2)
        let limiter = IdentifyLimiter(sessionStartLimit: limits, interval: .milliseconds(300))
        let clock = ContinuousClock()
        let firstPair = try await clock.measure {
            try await limiter.waitForTurn(shardID: 0)
            try await limiter.waitForTurn(shardID: 1)
        }
        #expect(firstPair < .milliseconds(300), "shards 0 and 1 are in different buckets")
        let sameBucket = try await clock.measure { try await limiter.waitForTurn(shardID: 2) }
        #expect(sameBucket >= .milliseconds(250), "shard 2 shares bucket 0 with shard 0")
    }

    @Test("the session start limit is respected")
    func sessionStartLimit() async throws {
        let limits = GatewayBotInfo.SessionStartLimit(total: 1000, remaining: 1, resetAfter: 60_000, maxConcurrency: 1)
        let limiter = IdentifyLimiter(sessionStartLimit: limits, interval: .milliseconds(1))
        try await limiter.waitForTurn(shardID: 0)
        await #expect(throws: GatewayError.self) { try await limiter.waitForTurn(shardID: 0) }
    }

    @Test("the gateway URL gets Discord's query, with or without a path")
    func connectionURL() {
        let configuration = GatewayConfiguration(token: BotToken("t"))
        #expect(configuration.connectionURL(base: "wss://gateway.discord.gg") == "wss://gateway.discord.gg/?v=10&encoding=json&compress=zlib-stream")
        #expect(configuration.connectionURL(base: "ws://127.0.0.1:8088/gateway") == "ws://127.0.0.1:8088/gateway?v=10&encoding=json&compress=zlib-stream")
    }
}
