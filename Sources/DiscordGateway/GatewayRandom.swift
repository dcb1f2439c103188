/// The gateway's source of jitter: SplitMix64, so a seeded generator replays the same delays
/// and a test can pin the first heartbeat, the back-off and the op 9 wait exactly.
///
/// Not for anything secret: the sequence follows from the seed. Public for the chaos soak,
/// whose fault sequence replays from its seed the same way.
public struct GatewayRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// A generator seeded from the system's, for production: shards started together jitter
    /// differently instead of reconnecting in step.
    public static func system() -> GatewayRandom {
        var system = SystemRandomNumberGenerator()
        return GatewayRandom(seed: system.next())
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
