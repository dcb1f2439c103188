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

    /// Runs `body` with the generation serving top-level command `name`, the call counted in
    /// flight for as long as `body` runs. `nil` when no cog serves the command.
    func withGeneration<Result>(command name: String, _ body: (Generation) async -> Result) async -> Result? {
        guard let generation = enter({ $0.byCommand[name] }) else { return nil }
        defer { generation.leave() }
        return await body(generation)
    }

    /// Runs `body` with the generation of cog `name` (components, modals, jobs), the call
    /// counted in flight for as long as `body` runs. `nil` when the cog is not loaded.
    func withGeneration<Result>(cog name: String, _ body: (Generation) async -> Result) async -> Result? {
        guard let generation = enter({ $0.byCog[name] }) else { return nil }
        defer { generation.leave() }
        return await body(generation)
    }

    private func enter(_ lookUp: (Routes) -> Generation?) -> Generation? {
        routes.withLock { routes in
            guard let generation = lookUp(routes) else { return nil }
            generation.inFlight.enter()
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
