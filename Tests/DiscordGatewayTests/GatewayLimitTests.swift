@testable import DiscordGateway
import DiscordModels
import Testing

@Suite("Gateway pacing: identify concurrency and the connection URL")
struct GatewayLimitTests {
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
