/// A close code the gateway sent, with what it means for the bot.
public struct GatewayCloseCode: Sendable, Equatable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(_ rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// Codes after which reconnecting cannot help: the bot must stop and an operator must act.
    public static let fatal: Set<UInt16> = [4004, 4010, 4011, 4012, 4013, 4014]

    public var isFatal: Bool { Self.fatal.contains(rawValue) }

    /// Whether the session survives: after 4007 (bad sequence) and 4009 (session timed out)
    /// the bot must identify again; 1000 and 1001 end the session too.
    public var allowsResume: Bool {
        !isFatal && ![1000, 1001, 4007, 4009].contains(rawValue)
    }

    /// What an operator should read, with what to do for the fatal codes.
    public var explanation: String {
        switch rawValue {
        case 4000: "unknown error"
        case 4001: "the bot sent an unknown opcode"
        case 4002: "the bot sent a payload Discord could not decode"
        case 4003: "the bot sent a payload before identifying"
        case 4004: "authentication failed: the token is invalid; check DISCORD_TOKEN"
        case 4005: "the bot identified twice"
        case 4007: "the bot resumed with an invalid sequence"
        case 4008: "the bot sent payloads too quickly"
        case 4009: "the session timed out"
        case 4010: "invalid shard: check the configured shard ids and shard count"
        case 4011: "sharding required: the bot is in too many guilds for one shard; set a shard count"
        case 4012: "invalid API version"
        case 4013: "invalid intents: the configured intents value is not valid"
        case 4014: "disallowed intents: enable the privileged intents in the Developer Portal or remove them from the configuration"
        default: "connection closed"
        }
    }

    public var description: String { "\(rawValue) (\(explanation))" }
}
