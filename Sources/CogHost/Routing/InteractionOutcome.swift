/// How the host dealt with one interaction; logged and counted.
public enum InteractionOutcome: Sendable, Equatable {
    /// A cog answered.
    case answered(cog: String, route: String)
    /// A cog failed; the player saw an apology or the cog's message for them.
    case failed(cog: String, route: String, detail: String)
    /// The player was on cooldown.
    case onCooldown(cog: String, route: String, retryAfter: Double)
    /// No cog serves this command or component.
    case unavailable(String)
    /// An admin turned the cog or command off in this guild.
    case disabled(cog: String, route: String)
    /// A cog did not answer within the handler timeout.
    case timedOut(cog: String, route: String)
    /// A host command (`/reload`, `/cogs`, …) ran.
    case hostCommand(String)
    /// A non-admin tried a host command.
    case forbidden(String)
    /// More interactions were in flight than the host serves at once; the player was told to
    /// try again.
    case busy
    /// Discord's PING was answered.
    case pong
    /// The payload could not be read; nothing was answered.
    case malformed(String)

    /// A short label for logs and metrics.
    public var label: String {
        switch self {
        case .answered: "ok"
        case .failed: "error"
        case .onCooldown: "cooldown"
        case .unavailable: "unavailable"
        case .disabled: "disabled"
        case .timedOut: "timeout"
        case .hostCommand: "ok"
        case .forbidden: "forbidden"
        case .busy: "busy"
        case .pong: "pong"
        case .malformed: "malformed"
        }
    }

    /// The cog that handled the interaction: `host` for the host's commands, `none` when no
    /// cog was reached.
    public var cog: String {
        switch self {
        case .answered(let cog, _), .failed(let cog, _, _), .onCooldown(let cog, _, _), .timedOut(let cog, _), .disabled(let cog, _): cog
        case .hostCommand, .forbidden: "host"
        case .unavailable, .busy, .pong, .malformed: "none"
        }
    }
}
