import DiscordModels

/// One event the gateway dispatched (op 0), with the raw frame so consumers decode only what
/// they need.
public struct GatewayDispatch: Sendable {
    public let shardID: Int
    /// The event, e.g. ``GatewayEventName/interactionCreate``.
    public let name: GatewayEventName
    public let sequence: Int64
    /// The whole frame as received (after decompression).
    public let frame: [UInt8]
    /// Where `d` lies in `frame`.
    public let payloadRange: Range<Int>

    public init(shardID: Int, name: GatewayEventName, sequence: Int64, frame: [UInt8], payloadRange: Range<Int>) {
        self.shardID = shardID
        self.name = name
        self.sequence = sequence
        self.frame = frame
        self.payloadRange = payloadRange
    }

    /// The `d` object.
    public var payload: ArraySlice<UInt8> { frame[payloadRange] }
}

/// What a shard is doing, for health checks and logs.
public struct GatewayShardStatus: Sendable {
    public enum State: String, Sendable {
        case connecting, identifying, resuming, ready, reconnecting, stopped, failed
    }

    public var state: State = .connecting
    public var sessionID: String?
    public var sequence: Int64 = 0
    /// The round trip of the last acknowledged heartbeat.
    public var latency: Duration?
    public var lastEventAt: ContinuousClock.Instant?
    public var identifies = 0
    public var resumes = 0
    public var reconnects = 0
    /// Why the shard failed, when it did.
    public var failure: String?
}
