import CCogABI
import DiscordModels

/// What the routing table hands an interaction to: a cog's serving ``Generation``, or the
/// host's own commands (``HostCommands``, the built-in cog). The router knows neither; it
/// looks the command or cog up and calls ``serve(_:through:responder:)``.
protocol InteractionServer: AnyObject, Sendable {
    /// Who serves, for conflicts and logs: a cog's name, or `host`.
    var serverName: String { get }
    /// Counts one interaction in. The table calls it under its lock, so a drain that starts
    /// after a swap cannot miss an interaction that found this server just before it.
    func enter()
    /// Counts the interaction out when its scope ends.
    func leave()
    /// Answers `interaction` through `responder`. A cog's generation is called through `calls`,
    /// the host's machinery for calls into cogs.
    func serve(_ interaction: RoutedInteraction, through calls: CogInteractionCalls,
               responder: some InteractionResponder) async -> InteractionOutcome
}

/// One interaction as routed: its facts and raw bytes, and what the server is asked to do.
struct RoutedInteraction: Sendable {
    let facts: InteractionRoutingFacts
    let payload: [UInt8]
    /// A command, autocomplete, component or modal.
    let kind: cog_request_kind
    /// The route inside the server: the command path (`xp show`) or the custom_id after `cog:`.
    let route: String
}
