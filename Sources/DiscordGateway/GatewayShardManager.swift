import DiscordModels
import Logging

/// Runs the configured shards of one process and owns their lifetimes.
///
/// ```swift
/// let manager = GatewayShardManager(configuration: configuration, gateway: info, shardIDs: nil, shardCount: nil,
///                                   sessions: store.takeSessions(), logger: logger) { dispatch in … }
/// try await manager.run()                  // until stop(), or a fatal close code
/// try store.save(manager.resumableSessions())
/// ```
public final class GatewayShardManager: Sendable {
    public let shards: [GatewayShard]

    /// - Parameters:
    ///   - gateway: The answer of `GET /gateway/bot` (URL, recommended shard count, limits).
    ///   - shardIDs: The shards this process runs; all of them when `nil`.
    ///   - shardCount: The total number of shards; Discord's recommendation when `nil`.
    ///   - sessions: Sessions saved by the previous process, by shard id, to resume.
    public init(
        configuration: GatewayConfiguration, gateway: GatewayBotInfo, shardIDs: [Int]?, shardCount: Int?,
        sessions: [Int: ResumableSession] = [:], logger: Logger,
        onDispatch: @escaping @Sendable (GatewayDispatch) async -> Void
    ) {
        let count = max(1, shardCount ?? gateway.shards)
        let limiter = IdentifyLimiter(sessionStartLimit: gateway.sessionStartLimit)
        self.shards = (shardIDs ?? Array(0..<count)).map { id in
            GatewayShard(id: id, count: count, gatewayURL: gateway.url, configuration: configuration,
                         identifyLimiter: limiter, resuming: sessions[id], logger: logger, onDispatch: onDispatch)
        }
    }

    /// Runs every shard until ``stop()``. A fatal close code on one shard stops all of them
    /// and is rethrown.
    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for shard in shards {
                group.addTask {
                    do {
                        try await shard.run()
                    } catch {
                        // The others would otherwise keep the group (and the bot) running.
                        await self.stop()
                        throw error
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Closes every shard with a resumable code.
    public func stop() async {
        for shard in shards { await shard.stop() }
    }

    /// The sessions to save so the next process resumes them.
    public func resumableSessions() -> [ResumableSession] {
        shards.compactMap(\.resumableSession)
    }
}
