import CogHost
import DiscordModels
import Foundation

/// The demo's scripted session.
struct DemoScript<Transport: PlayerTransport> {
    var transport: Transport
    /// Makes things happen in the guild, for the cogs' event listeners.
    var world: WorldConsole
    let rebuild: () throws -> Void

    mutating func play() async throws {
        section("Players use the bundled cogs")
        try await say("/roll 2d6+3", as: "ada")
        try await say("/roll 4d6kh3", as: "bob")
        try await say("/ping", as: "ada")

        section("A bad expression gets a friendly answer only the player sees")
        try await say("/roll 2d6+banana", as: "bob")

        section("Cooldowns: /roll allows 5 rolls per 10 s per player")
        for _ in 0..<4 { _ = try await transport.send("/roll d20", as: DemoPlayers.invoker("bob")) }
        print("  (bob rolls 4 more times quickly…)")
        try await say("/roll d20", as: "bob")

        section("XP lives in the host's database (the xp cog: key-value settings and its own table)")
        try await say("/checkin", as: "ada")
        try await say("/checkin", as: "bob")
        try await say("/checkin", as: "ada")
        try await say("/leaderboard", as: "bob")

        section("Cogs hear the gateway: the C ping cog answers a 🏓 reaction with its own")
        try await happen("say ping, anyone?", as: "ada")
        try await happen("react 🏓", as: "bob")

        section("Admin commands are for admins only")
        try await say("/reload dice", as: "bob")
        try await say("/cogs", as: "ada")

        section("Rebuild the dice cog and reload it; the host keeps running")
        try rebuild()
        try await say("/reload dice", as: "ada")
        try await say("/roll 3d8", as: "ada")
        try await say("/reload ping", as: "ada")
        try await say("/ping", as: "bob")
    }

    private mutating func say(_ line: String, as player: String) async throws {
        ConsoleTranscript.printCommand(line, user: player)
        let started = ContinuousClock.now
        let answers = try await transport.send(line, as: DemoPlayers.invoker(player))
        ConsoleTranscript.printAnswers(answers, after: ContinuousClock.now - started)
    }

    /// Plays a ``WorldConsole`` line (`say …`, `react …`) as `player`.
    private mutating func happen(_ line: String, as player: String) async throws {
        print("\n\(player) ▸ \(line)")
        guard await world.perform(line, as: DemoPlayers.invoker(player), person: DemoPlayers.invoker) else {
            throw DemoError.notAWorldLine(line)
        }
    }

    private func section(_ title: String) {
        print("\n── \(title) ──")
    }
}

enum DemoError: Error, CustomStringConvertible {
    case notAWorldLine(String)

    var description: String {
        switch self {
        case .notAWorldLine(let line): "the demo script has a line the world console does not know: \(line)"
        }
    }
}

/// The demo's players: ada is the bot's admin, bob is not.
enum DemoPlayers {
    static let adminID: UInt64 = 800_000_000_000_000_001

    static func invoker(_ name: String) -> InteractionFactory.Invoker {
        let id: UInt64 = name == "ada" ? adminID : 800_000_000_000_000_002
        return InteractionFactory.Invoker(id: id, username: name)
    }
}
