import CCogABI
import DiscordModels

/// Where an interaction goes, decided from its routing facts alone.
enum RouteDestination: Equatable {
    /// Discord's PING: answered with a pong, no cog involved.
    case pong
    /// A command or its autocomplete, looked up in the routing table by top-level command name
    /// (a cog's, or one of the host's own); `route` is the full command path the server
    /// dispatches on (`xp show`).
    case command(name: String, route: String, kind: cog_request_kind)
    /// A component or modal of cog `cog` (its `custom_id` is `cog:route`).
    case component(cog: String, route: String, kind: cog_request_kind)
    /// Nothing can serve it; the player is told the command is unavailable.
    case unavailable(String)
    /// An interaction type this host does not know: logged, not answered.
    case unknownType(Int)
}

/// Decides ``RouteDestination``s. Pure: the same facts always give the same destination, and
/// whether a cog really serves it is the routing table's business afterwards.
enum RouteResolver {
    static func destination(of facts: InteractionRoutingFacts) -> RouteDestination {
        switch InteractionType(rawValue: facts.type) {
        case .ping:
            return .pong
        case .applicationCommand, .applicationCommandAutocomplete:
            let name = facts.commandName ?? ""
            let kind = facts.type == InteractionType.applicationCommand.rawValue ? COG_REQUEST_COMMAND : COG_REQUEST_AUTOCOMPLETE
            return .command(name: name, route: facts.commandPath, kind: kind)
        case .messageComponent, .modalSubmit:
            let customID = facts.customID ?? ""
            let parts = customID.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { return .unavailable(customID) }
            let kind = facts.type == InteractionType.modalSubmit.rawValue ? COG_REQUEST_MODAL : COG_REQUEST_COMPONENT
            return .component(cog: String(parts[0]), route: String(parts[1]), kind: kind)
        case nil:
            return .unknownType(facts.type)
        }
    }
}
