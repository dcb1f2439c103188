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

        try await actOnDiscord()

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

    /// The bundled welcome, reactionroles, moderation and xp cogs, configured by ada (the
    /// server's owner) and acting on Discord through the host's checks.
    private mutating func actOnDiscord() async throws {
        let discord = world.discord
        let guild = discord.configuration.guilds[0]
        let members = discord.createRole("Members")
        let gamers = discord.createRole("Gamers")
        let council = discord.createRole("Council", position: 20)
        let modLog = discord.createChannel("mod-log")
        // bob and carol were members before the cogs were set up; carol holds Council, above the bot.
        let carol = DemoPlayers.invoker("carol")
        discord.memberJoins(DemoPlayers.invoker("bob"))
        discord.memberJoins(carol)
        discord.updateMember(carol, roles: [council])
        print("\n  (the server has roles Members \(members), Gamers \(gamers), and Council \(council) above the bot's own role, held by carol; a #mod-log channel \(modLog))")

        section("Cogs act on Discord: a member who joins is welcomed and given the auto-role")
        try await say("/welcome channel channel:\(guild.channelID)", as: "ada")
        try await say("/welcome autorole role:\(members)", as: "ada")
        try await happen("join dana", as: "ada")

        section("A reaction gives a role, and taking it back takes the role away")
        try await happen("say React with 🎮 to get the Gamers role", as: "ada")
        if let rules = world.lastMessage {
            try await say("/reactionrole add message:\(rules) emoji:🎮 role:\(gamers)", as: "ada")
        }
        try await happen("react 🎮", as: "bob")
        try await happen("unreact 🎮", as: "bob")

        section("A moderator times a member out; the case goes to the mod log")
        try await say("/modlog channel channel:\(modLog)", as: "ada")
        try await say("/timeout member:\(DemoPlayers.invoker("bob").id) minutes:10 reason:spamming links", as: "ada")

        section("Talking earns XP (once a minute), and a level-up is announced")
        try await say("/xp-settings message_xp:50 announce_level_ups:true", as: "ada")
        try await happen("say hello everyone, I'm back", as: "bob")

        section("What Discord would refuse never reaches it: a member above the bot's role")
        try await say("/kick member:\(carol.id) reason:testing", as: "ada")
    }

    private mutating func say(_ line: String, as player: String) async throws {
        ConsoleTranscript.printCommand(line, user: player)
        let started = ContinuousClock.now
        let before = world.discord.requests.count
        let answers = try await transport.send(line, as: DemoPlayers.invoker(player))
        ConsoleTranscript.printAnswers(answers, after: ContinuousClock.now - started)
        // What the command's cog did on Discord besides answering (a role, a mod-log post).
        if world.discord.requests.dropFirst(before).contains(where: { !$0.route.hasPrefix("/interactions/") && !$0.route.hasPrefix("/webhooks/") && !$0.route.hasPrefix("/applications/") }) {
            await world.printWhatTheBotDid(after: before)
        }
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
        // ada owns the server, and Discord gives an owner every permission.
        guard name != "ada" else { return InteractionFactory.Invoker(id: adminID, username: name, permissions: (1 << 51) - 1) }
        let known: [String: UInt64] = ["bob": 800_000_000_000_000_002, "carol": 800_000_000_000_000_003]
        // Anyone else who joins gets an id of their own, the same on every run.
        let id = known[name] ?? 800_000_000_000_000_100 + name.unicodeScalars.reduce(0) { $0 &* 31 &+ UInt64($1.value) } % 1_000_000
        return InteractionFactory.Invoker(id: id, username: name)
    }
}
