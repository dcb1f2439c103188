import Foundation

/// What the connection to Discord reports about itself: read by `/health`, the operations
/// endpoints and the heartbeat file. The bot runtime provides it (``CogHost/Links``); the
/// host itself never talks to the gateway.
public struct ConnectionHealth: Sendable, Codable, Equatable {
    /// One gateway shard.
    public struct Shard: Sendable, Codable, Equatable {
        public var id: Int
        /// `connecting`, `identifying`, `resuming`, `ready`, `reconnecting`, `stopped` or `failed`.
        public var state: String
        /// The round trip of the last acknowledged heartbeat.
        public var latencyMilliseconds: Double?
        /// Seconds since the shard last received anything.
        public var lastEventAgeSeconds: Double?
        /// Whether a session exists that a reconnect could resume.
        public var resumable: Bool
        public var reconnects: Int
        public var resumes: Int

        public init(id: Int, state: String, latencyMilliseconds: Double?, lastEventAgeSeconds: Double?, resumable: Bool,
                    reconnects: Int, resumes: Int) {
            (self.id, self.state, self.latencyMilliseconds, self.lastEventAgeSeconds) = (id, state, latencyMilliseconds, lastEventAgeSeconds)
            (self.resumable, self.reconnects, self.resumes) = (resumable, reconnects, resumes)
        }
    }

    public var shards: [Shard]

    public init(shards: [Shard]) {
        self.shards = shards
    }

    /// Every shard has received READY (or RESUMED) and is serving.
    public var isReady: Bool { !shards.isEmpty && shards.allSatisfy { $0.state == "ready" } }

    /// The slowest shard's heartbeat round trip.
    public var latencyMilliseconds: Double? { shards.compactMap(\.latencyMilliseconds).max() }

    /// The longest any shard has gone without an event.
    public var lastEventAgeSeconds: Double? { shards.compactMap(\.lastEventAgeSeconds).max() }

    /// One word for all shards: `ready` when every one is, otherwise the first other state.
    public var summary: String { isReady ? "ready" : shards.first { $0.state != "ready" }?.state ?? "not connected" }
}
