import CCogABI
@testable import CogHost
import DiscordModels
import Testing

/// Where interactions go, from their routing facts alone.
@Suite("Route resolver: facts in, destination out")
struct RouteResolverTests {
    static func facts(type: InteractionType?, rawType: Int? = nil, command: String? = nil, path: String = "",
                      customID: String? = nil) -> InteractionRoutingFacts {
        var facts = InteractionRoutingFacts()
        facts.type = rawType ?? type?.rawValue ?? 0
        facts.commandName = command
        facts.commandPath = path
        facts.customID = customID
        return facts
    }

    static let cases: [(String, InteractionRoutingFacts, RouteDestination)] = [
        ("PING", facts(type: .ping), .pong),
        ("a host command is looked up like any command", facts(type: .applicationCommand, command: "reload", path: "reload"),
         .command(name: "reload", route: "reload", kind: COG_REQUEST_COMMAND)),
        ("a cog command", facts(type: .applicationCommand, command: "roll", path: "roll"),
         .command(name: "roll", route: "roll", kind: COG_REQUEST_COMMAND)),
        ("a subcommand routes on its full path", facts(type: .applicationCommand, command: "xp", path: "xp show"),
         .command(name: "xp", route: "xp show", kind: COG_REQUEST_COMMAND)),
        ("autocomplete", facts(type: .applicationCommandAutocomplete, command: "roll", path: "roll"),
         .command(name: "roll", route: "roll", kind: COG_REQUEST_AUTOCOMPLETE)),
        ("a component by its cog prefix", facts(type: .messageComponent, customID: "polls:vote:3"),
         .component(cog: "polls", route: "vote:3", kind: COG_REQUEST_COMPONENT)),
        ("a modal submit", facts(type: .modalSubmit, customID: "polls:new"), .component(cog: "polls", route: "new", kind: COG_REQUEST_MODAL)),
        ("a custom id without a cog", facts(type: .messageComponent, customID: "orphan"), .unavailable("orphan")),
        ("no custom id at all", facts(type: .messageComponent), .unavailable("")),
        ("an unknown type", facts(type: nil, rawType: 42), .unknownType(42)),
    ]

    @Test("each kind of interaction", arguments: cases)
    func destination(_ name: String, _ facts: InteractionRoutingFacts, _ expected: RouteDestination) {
        #expect(RouteResolver.destination(of: facts) == expected, "\(name)")
    }
}
