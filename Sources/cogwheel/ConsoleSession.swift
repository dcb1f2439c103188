import CogHost
import DiscordModels
import Foundation

/// A player's session at the console: turns typed lines into interactions and prints answers.
struct ConsoleSession {
    private let host: CogHost
    private var transport: SimulatorTransport
    private var users: [String: InteractionFactory.Invoker] = [:]
    private var current: InteractionFactory.Invoker

    /// The first player, who owns the simulated application and so operates the bot.
    static let owner = invoker(named: "ada", index: 1)

    init(host: CogHost, transport: SimulatorTransport) {
        self.host = host
        self.transport = transport
        current = Self.owner
        users["ada"] = current
    }

    /// Runs one line: `as NAME`, `/help`, or a slash command.
    mutating func perform(_ line: String) async {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return }
        if trimmed.hasPrefix("as ") {
            let name = String(trimmed.dropFirst(3)).trimmingCharacters(in: .whitespaces).lowercased()
            current = users[name] ?? Self.invoker(named: name, index: UInt64(users.count + 1))
            users[name] = current
            print("  (now playing as \(name), user id \(current.id))")
            return
        }
        if trimmed == "/help" {
            for command in await host.commandDefinitions() { print("  /\(command.name) — \(command.description)") }
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

    private static func invoker(named name: String, index: UInt64) -> InteractionFactory.Invoker {
        // Every console player is an Administrator of the simulated guild, so a guild manager;
        // only ada owns the application and runs the operators' commands.
        InteractionFactory.Invoker(id: 800_000_000_000_000_000 + index, username: name, permissions: 8)
    }
}
