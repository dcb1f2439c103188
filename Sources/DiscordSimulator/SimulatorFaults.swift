/// A gateway fault injected on demand, into every open connection.
public enum GatewayFault: Sendable, Equatable {
    /// End the TCP connection without a Discord close code.
    case dropConnection
    /// Stop acknowledging heartbeats on the open connections (they become zombies).
    case stopHeartbeatAcks
    /// Send op 7: the client must reconnect and resume.
    case reconnect
    /// Send op 9; with `resumable: false` the session is also forgotten. Discord may leave
    /// the socket open afterwards (`closeSocket: false`) or close it (with 4000): a client
    /// must handle both.
    case invalidSession(resumable: Bool, closeSocket: Bool)
    /// Close the connection with this code.
    case close(code: UInt16)
    /// Send a text frame that is not JSON.
    case malformedFrame
    /// Send one frame of this many bytes.
    case oversizedFrame(bytes: Int)
}

/// A REST fault injected on demand.
public enum RESTFault: Sendable, Equatable {
    /// The next `count` requests (interaction callbacks too) get 429 with this scope
    /// (`user`, `shared` or `global`) and `retry_after` seconds.
    case rateLimitStorm(count: Int, scope: String, retryAfter: Double)
    /// The next `count` requests are answered only after `seconds`.
    case slowResponses(count: Int, seconds: Double)
    /// The next `count` requests get `502 Bad Gateway`, as during a Discord incident.
    case serverErrors(count: Int)
}
