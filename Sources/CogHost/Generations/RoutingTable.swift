import Synchronization

/// Who serves each command and each cog, swapped atomically: the host's own commands
/// (installed once, at start) and each cog's serving generation.
///
/// Looking up a route and counting the call as in flight happen under one lock, so a reload
/// that swaps the table and then drains the old generation never misses a call that looked it
/// up just before the swap.
final class RoutingTable: Sendable {
    private struct Routes {
        var byCommand: [String: any InteractionServer] = [:]
        var byCog: [String: Generation] = [:]
    }

    private let routes = Mutex(Routes())

    /// Runs `body` with the server of top-level command `name`, the call counted in flight for
    /// as long as `body` runs. `nil` when nothing serves the command.
    func withServer<Result>(command name: String, _ body: (any InteractionServer) async -> Result) async -> Result? {
        let found = routes.withLock { routes in
            let server = routes.byCommand[name]
            server?.enter()
            return server
        }
        guard let server = found else { return nil }
        defer { server.leave() }
        return await body(server)
    }

    /// Runs `body` with the generation of cog `name` (components, modals, jobs), the call
    /// counted in flight for as long as `body` runs. `nil` when the cog is not loaded.
    func withGeneration<Result>(cog name: String, _ body: (Generation) async -> Result) async -> Result? {
        let found = routes.withLock { routes in
            let generation = routes.byCog[name]
            generation?.enter()
            return generation
        }
        guard let generation = found else { return nil }
        defer { generation.leave() }
        return await body(generation)
    }

    /// The cogs whose serving generation listens to `event`, and whether each hears the bot's own messages.
    func listeners(of event: String) -> [(cog: String, ownMessages: Bool, readsContent: Bool)] {
        routes.withLock { routes in
            routes.byCog.values.filter { $0.events.contains(event) }.map {
                ($0.image.name, $0.image.manifest.ownMessages, $0.image.manifest.gatewayIntents.contains(.messageContent))
            }
        }
    }

    /// The generation currently serving cog `name`.
    func generation(of cog: String) -> Generation? {
        routes.withLock { $0.byCog[cog] }
    }

    /// How many cogs have a serving generation.
    var cogCount: Int { routes.withLock { $0.byCog.count } }

    /// Every serving generation, by cog name.
    func allGenerations() -> [Generation] {
        routes.withLock { Array($0.byCog.values) }.sorted { $0.image.name < $1.image.name }
    }

    /// Who serves top-level command `name` (a cog's name, or `host`), if anyone does.
    func owner(ofCommand name: String) -> String? {
        routes.withLock { $0.byCommand[name]?.serverName }
    }

    /// Makes `server` serve `commands` for good: the host's own commands, installed at start.
    /// The supervisor refuses cogs that declare these names.
    func install(builtIn server: any InteractionServer, commands: some Sequence<String>) {
        routes.withLock { routes in
            for name in commands { routes.byCommand[name] = server }
        }
    }

    /// Makes `generation` serve its cog's commands, replacing the cog's previous generation.
    /// Returns the replaced generation.
    @discardableResult
    func install(_ generation: Generation) -> Generation? {
        let names = generation.image.manifest.commands.map(\.name)
        return routes.withLock { routes in
            let previous = routes.byCog[generation.image.name]
            if let previous {
                for command in previous.image.manifest.commands where routes.byCommand[command.name] === previous {
                    routes.byCommand[command.name] = nil
                }
            }
            for name in names { routes.byCommand[name] = generation }
            routes.byCog[generation.image.name] = generation
            return previous
        }
    }

    /// Stops routing to cog `name`; returns the generation that was serving.
    func remove(cog name: String) -> Generation? {
        routes.withLock { routes in
            guard let previous = routes.byCog.removeValue(forKey: name) else { return nil }
            routes.byCommand = routes.byCommand.filter { $0.value !== previous }
            return previous
        }
    }
}
