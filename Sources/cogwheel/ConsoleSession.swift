import CogHost
import DiscordModels
import DiscordSimulator
import Foundation

/// A player's session at the console: turns typed lines into interactions, or into things
/// happening in the guild, and prints the bot's answers.
struct ConsoleSession {
    private let host: CogHost
    private var transport: SimulatorTransport
    private var world: WorldConsole
    private var users: [String: InteractionFactory.Invoker] = [:]
    private var current: InteractionFactory.Invoker

    /// The first player, who owns the simulated application and so operates the bot.
    static let owner = invoker(named: "ada", index: 1)

    init(host: CogHost, transport: SimulatorTransport) {
        self.host = host
        self.transport = transport
        world = WorldConsole(discord: transport.discord)
        current = Self.owner
        users["ada"] = current
    }

    /// Runs one line: `as NAME`, `/help`, a slash command, or a ``WorldConsole`` line.
    mutating func perform(_ line: String) async {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return }
        if trimmed.hasPrefix("as ") {
            let name = String(trimmed.dropFirst(3)).trimmingCharacters(in: .whitespaces).lowercased()
            current = person(named: name)
            print("  (now playing as \(name), user id \(current.id))")
            return
        }
        if trimmed == "/help" {
            for command in await host.commandDefinitions() { print("  /\(command.name) — \(command.description)") }
            print("  and, to fire gateway events at the cogs:")
            for (line, effect) in WorldConsole.usage { print("  \(line) — \(effect)") }
            return
        }
        if !trimmed.hasPrefix("/") {
            // The world is taken out while it runs, so the closure may add players to `self`.
            var world = self.world
            defer { self.world = world }
            if await world.perform(trimmed, as: current, person: { person(named: $0) }) { return }
            print("  ✗ not a command: type /help")
            return
        }
        ConsoleTranscript.printCommand(trimmed, user: current.username)
        let started = ContinuousClock.now
        do {
            let answers = try await transport.send(trimmed, as: current)
            ConsoleTranscript.printAnswers(answers, after: ContinuousClock.now - started)
        } catch {
            print("  ✗ \(error)")
        }
    }

    /// The player called `name`, made up the first time it is named.
    private mutating func person(named name: String) -> InteractionFactory.Invoker {
        let name = name.lowercased()
        if let known = users[name] { return known }
        let made = Self.invoker(named: name, index: UInt64(users.count + 1))
        users[name] = made
        return made
    }

    private static func invoker(named name: String, index: UInt64) -> InteractionFactory.Invoker {
        // Every console player is an Administrator of the simulated guild, so a guild manager;
        // only ada owns the application and runs the operators' commands.
        InteractionFactory.Invoker(id: 800_000_000_000_000_000 + index, username: name, permissions: 8)
    }
}
