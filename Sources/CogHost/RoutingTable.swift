import Synchronization

/// Which generation serves each command and each cog, swapped atomically.
///
/// Looking up a route and counting the call as in flight happen under one lock, so a reload
/// that swaps the table and then drains the old generation never misses a call that looked it
/// up just before the swap.
final class RoutingTable: Sendable {
    private struct Routes {
        var byCommand: [String: Generation] = [:]
        var byCog: [String: Generation] = [:]
    }

    private let routes = Mutex(Routes())

    /// The generation serving top-level command `name`, with the call counted in flight.
    func acquire(command name: String) -> Generation? {
        routes.withLock { routes in
            guard let generation = routes.byCommand[name] else { return nil }
            generation.inFlight.add(1, ordering: .relaxed)
            return generation
        }
    }

    /// The generation of cog `name`, with the call counted in flight (for components).
    func acquire(cog name: String) -> Generation? {
        routes.withLock { routes in
            guard let generation = routes.byCog[name] else { return nil }
            generation.inFlight.add(1, ordering: .relaxed)
            return generation
        }
    }

    /// The generation currently serving cog `name`.
    func generation(of cog: String) -> Generation? {
        routes.withLock { $0.byCog[cog] }
    }

    /// Every serving generation, by cog name.
    func allGenerations() -> [Generation] {
        routes.withLock { Array($0.byCog.values) }.sorted { $0.image.name < $1.image.name }
    }

    /// The cog owning top-level command `name`, if any.
    func owner(ofCommand name: String) -> String? {
        routes.withLock { $0.byCommand[name]?.image.name }
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
