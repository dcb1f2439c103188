import ArgumentParser
import DiscordModels
import DiscordSimulator
import Foundation
import Logging

/// `cogwheel simulate`: a local Discord on loopback that any bot can connect to — Cogwheel
/// (`cogwheel run` with the printed variables) or another library — and a prompt to play it.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run the Discord simulator on 127.0.0.1 and type commands as players or inject faults."
    )

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8_088

    @Option(help: "The bot token the simulator accepts.")
    var token = "cogwheel-simulator-token"

    @Option(help: "Milliseconds between heartbeats that HELLO asks for.")
    var heartbeatInterval = 41_250

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: Logger.Level = .warning

    func run() async throws {
        var configuration = SimulatorConfiguration(token: token)
        configuration.port = port
        configuration.heartbeatInterval = heartbeatInterval
        try await DiscordSimulator.withRunning(configuration, logger: ConsoleLogging.logger(level: logLevel)) { discord in
            print("""
            Discord simulator listening on 127.0.0.1:\(discord.port). Point a bot at it:
              DISCORD_TOKEN=\(token) DISCORD_API_BASE=\(discord.apiBase) DISCORD_GATEWAY_URL=\(discord.gatewayURL) swift run cogwheel run
            Then type a slash command (/roll 2d6), `as NAME /command`, `fault NAME` (\(SimulatorPrompt.faultNames)),
            an event (`say hello`, `react 👍`, `join carol`, `ban carol`, `role Mods`, …; `as NAME` works too), or `quit`.
            """)
            var prompt = SimulatorPrompt(discord: discord)
            while let line = readLine() {
                if line.trimmingCharacters(in: .whitespaces) == "quit" { break }
                await prompt.perform(line)
            }
        }
    }
}

/// Reads the simulate prompt's lines: player commands, faults and ``WorldConsole`` events.
struct SimulatorPrompt {
    static let faults: [String: GatewayFault] = [
        "drop": .dropConnection, "zombie": .stopHeartbeatAcks, "reconnect": .reconnect,
        "invalid-session": .invalidSession(resumable: false, closeSocket: false),
        "invalid-session-close": .invalidSession(resumable: false, closeSocket: true),
        "invalid-session-resumable": .invalidSession(resumable: true, closeSocket: false),
        "malformed": .malformedFrame,
    ]
    static var faultNames: String { (faults.keys.sorted() + ["close:CODE", "429:SCOPE"]).joined(separator: ", ") }

    let discord: DiscordSimulator
    var player = "bob"
    private var world: WorldConsole
    /// Everyone named so far, so a name keeps its user id.
    private var people: [String: InteractionFactory.Invoker] = [:]

    init(discord: DiscordSimulator) {
        self.discord = discord
        world = WorldConsole(discord: discord)
    }

    mutating func perform(_ line: String) async {
        var text = line.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("fault ") {
            inject(String(text.dropFirst(6)).trimmingCharacters(in: .whitespaces))
            return
        }
        if text.hasPrefix("as ") {
            let parts = text.dropFirst(3).split(separator: " ", maxSplits: 1)
            player = parts.first.map(String.init) ?? player
            text = parts.count > 1 ? String(parts[1]) : ""
        }
        let invoker = person(named: player)
        guard text.hasPrefix("/") else {
            guard !text.isEmpty else { return }
            var world = self.world
            defer { self.world = world }
            if !(await world.perform(text, as: invoker, person: { person(named: $0) })) { print("  ✗ not a command, fault or event") }
            return
        }
        do {
            let answers = try await discord.run(text, as: invoker)
            for answer in answers {
                print("  bot → \(player): \(answer.content ?? String(decoding: answer.message ?? [], as: UTF8.self))")
            }
        } catch {
            print("  ✗ \(error)")
        }
    }

    /// ada is an administrator; everyone else an ordinary member with an id of their own.
    private mutating func person(named name: String) -> InteractionFactory.Invoker {
        let name = name.lowercased()
        if let known = people[name] { return known }
        let id: UInt64 = name == "ada" ? 800_000_000_000_000_001 : 800_000_000_000_000_002 + UInt64(people.count)
        let made = InteractionFactory.Invoker(id: id, username: name, permissions: name == "ada" ? 8 : 0)
        people[name] = made
        return made
    }

    private func inject(_ name: String) {
        if let fault = Self.faults[name] {
            discord.inject(fault)
        } else if name.hasPrefix("close:"), let code = UInt16(name.dropFirst(6)) {
            discord.inject(.close(code: code))
        } else if name.hasPrefix("429:") {
            discord.inject(.rateLimitStorm(count: 10, scope: String(name.dropFirst(4)), retryAfter: 1))
        } else {
            print("  unknown fault '\(name)'; known: \(Self.faultNames)")
            return
        }
        print("  injected \(name)")
    }
}
