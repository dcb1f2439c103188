import CogHost
import DiscordModels
import Foundation

/// A player's session at the console: turns typed lines into interactions and prints answers.
struct ConsoleSession {
    static let guildID: UInt64 = 900_000_000_000_000_001
    static let channelID: UInt64 = 900_000_000_000_000_002

    private let host: CogHost
    private let source: InProcessEventSource
    private var factory = InteractionFactory(applicationID: 900_000_000_000_000_000)
    private var users: [String: InteractionFactory.Invoker] = [:]
    private var current: InteractionFactory.Invoker

    init(host: CogHost) {
        self.host = host
        self.source = InProcessEventSource(router: host.router)
        current = Self.invoker(named: "ada", index: 1)
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
        let definitions = await host.commandDefinitions()
        if trimmed == "/help" {
            for command in definitions { print("  /\(command.name) — \(command.description)") }
            return
        }
        await send(trimmed, definitions: definitions)
    }

    /// Sends one slash command as the current player and prints the transcript.
    mutating func send(_ line: String, definitions: [ApplicationCommand]) async {
        let payload: [UInt8]
        do {
            payload = try factory.command(line: line, definitions: definitions, as: current,
                                          guildID: Self.guildID, channelID: Self.channelID)
        } catch {
            print("  ✗ \(error)")
            return
        }
        ConsoleTranscript.printCommand(line, user: current.username)
        let started = ContinuousClock.now
        let answers = await source.deliver(frame: payload)
        ConsoleTranscript.printAnswers(answers, after: ContinuousClock.now - started)
    }

    private static func invoker(named name: String, index: UInt64) -> InteractionFactory.Invoker {
        // Console players are guild administrators, so admin commands work at the console.
        InteractionFactory.Invoker(id: 800_000_000_000_000_000 + index, username: name, permissions: 8)
    }
}
