import DiscordModels
import Synchronization

/// The intents the gateway session identified with. A cog that needs one it lacks cannot be
/// loaded or reloaded into the running session: the intents change only with a new IDENTIFY.
///
/// ```swift
/// host.sessionIntents.identified(with: [.guilds, .guildMembers])
/// host.sessionIntents.missing(from: [.guilds, .messageContent])   // [.messageContent]
/// ```
public final class SessionIntents: Sendable {
    private let current = Mutex<GatewayIntents?>(nil)

    public init() {}

    /// Records what IDENTIFY asked for.
    public func identified(with intents: GatewayIntents) {
        current.withLock { $0 = intents }
    }

    /// What the session identified with; `nil` before it has.
    public var intents: GatewayIntents? { current.withLock { $0 } }

    /// The intents of `needed` the session lacks; empty when it has them all or has not identified yet.
    public func missing(from needed: GatewayIntents) -> GatewayIntents {
        guard let intents = current.withLock({ $0 }) else { return [] }
        return needed.subtracting(intents)
    }
}
