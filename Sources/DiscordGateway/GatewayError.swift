import DiscordModels

/// Why the gateway stopped or a connection failed.
public enum GatewayError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Discord closed with a code after which reconnecting cannot help; the bot stops.
    case fatalClose(GatewayCloseCode)
    /// The transport compression stream was corrupt.
    case decompression(String)
    /// A message was larger than the configured maximum.
    case oversizedMessage(limit: Int)
    /// A frame was not a gateway payload.
    case malformedFrame(String)
    /// The gateway URL cannot be used.
    case invalidURL(String)
    /// Discord allows no more sessions to start before `resetAfter` milliseconds.
    case sessionStartLimitExhausted(resetAfter: Int)
    /// HELLO asked for a heartbeat every this many milliseconds, which no working gateway does
    /// (0 would beat in a busy loop, a day would never notice a dead connection).
    case invalidHeartbeatInterval(Int)

    public var description: String {
        switch self {
        case .fatalClose(let code):
            "the gateway closed the connection with \(code); the bot stops instead of reconnecting"
        case .decompression(let detail): "could not decompress a gateway message: \(detail)"
        case .oversizedMessage(let limit): "a gateway message was larger than the limit of \(limit) bytes"
        case .malformedFrame(let detail): "the gateway sent a malformed frame: \(detail)"
        case .invalidURL(let url): "the gateway URL '\(url)' is not a ws:// or wss:// URL"
        case .sessionStartLimitExhausted(let resetAfter):
            "Discord allows no new session for \(resetAfter / 1000) s (session start limit reached)"
        case .invalidHeartbeatInterval(let milliseconds):
            "the gateway asked for a heartbeat every \(milliseconds) ms; refusing it (expected 100 ms–10 min) and reconnecting"
        }
    }
}
