import DiscordModels
import DiscordSimulator
import Foundation

/// Console lines that make something happen in the simulated guild, so event listeners can be
/// tried by hand: `join bob`, `say hello`, `react 👍`, … Each one changes the simulator, which
/// dispatches the gateway event, and then prints what the bot did about it.
struct WorldConsole {
    let discord: DiscordSimulator
    /// The message `react`, `edit` and `delete` act on when the line names none.
    private(set) var lastMessage: Snowflake?

    init(discord: DiscordSimulator) {
        self.discord = discord
    }

    /// The lines, for `/help`.
    static let usage: [(line: String, effect: String)] = [
        ("say TEXT", "post a message as the current player (MESSAGE_CREATE)"),
        ("edit TEXT | delete", "edit or delete the last message (MESSAGE_UPDATE, MESSAGE_DELETE)"),
        ("react EMOJI [MESSAGE] | unreact EMOJI [MESSAGE]", "react to the last message or MESSAGE (MESSAGE_REACTION_ADD/REMOVE)"),
        ("join NAME | leave NAME", "a member joins or leaves (GUILD_MEMBER_ADD/REMOVE)"),
        ("ban NAME | unban NAME", "GUILD_BAN_ADD/REMOVE"),
        ("role NAME | channel NAME | thread NAME", "create one (GUILD_ROLE_CREATE, CHANNEL_CREATE, THREAD_CREATE)"),
        ("voice CHANNEL | voice leave", "the current player joins or leaves a voice channel (VOICE_STATE_UPDATE)"),
    ]

    /// Performs `line` if it is one of ``usage``; `false` when it is not a world line.
    mutating func perform(_ line: String, as player: DiscordSimulator.Person,
                          person: (String) -> DiscordSimulator.Person) async -> Bool {
        let words = line.split(separator: " ", maxSplits: 1).map(String.init)
        guard let verb = words.first else { return false }
        let rest = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : ""
        let before = discord.requests.count
        switch verb {
        case "say" where !rest.isEmpty:
            let id = discord.say(rest, as: player)
            lastMessage = id
            print("  \(player.username): \(rest)   (message \(id))")
        case "edit" where !rest.isEmpty:
            guard let id = lastMessage else { return noMessage() }
            discord.editMessage(id, content: rest)
            print("  (message \(id) edited)")
        case "delete":
            guard let id = lastMessage else { return noMessage() }
            discord.deleteMessage(id)
            lastMessage = nil
            print("  (message \(id) deleted)")
        case "react", "unreact":
            let parts = rest.split(separator: " ").map(String.init)
            guard let emoji = parts.first else { return false }
            guard let id = parts.dropFirst().first.flatMap({ UInt64($0) }).map { Snowflake($0) } ?? lastMessage else { return noMessage() }
            if verb == "react" { discord.react(emoji, to: id, as: player) } else { discord.unreact(emoji, to: id, as: player) }
            print("  \(player.username) \(verb == "react" ? "reacted" : "took back") \(emoji) on message \(id)")
        case "join" where !rest.isEmpty: discord.memberJoins(person(rest)); print("  (\(rest) joined the guild)")
        case "leave" where !rest.isEmpty: discord.memberLeaves(person(rest)); print("  (\(rest) left the guild)")
        case "ban" where !rest.isEmpty: discord.ban(person(rest)); print("  (\(rest) was banned)")
        case "unban" where !rest.isEmpty: discord.unban(person(rest)); print("  (\(rest) was unbanned)")
        case "role" where !rest.isEmpty: print("  (role \(rest) created: \(discord.createRole(rest)))")
        case "channel" where !rest.isEmpty: print("  (channel #\(rest) created: \(discord.createChannel(rest)))")
        case "thread" where !rest.isEmpty: print("  (thread \(rest) opened: \(discord.createThread(rest)))")
        case "voice" where !rest.isEmpty:
            let channel = rest == "leave" ? nil : UInt64(rest).map { Snowflake($0) }
            guard rest == "leave" || channel != nil else { return false }
            discord.voice(player, joins: channel)
            print("  (\(player.username) \(channel.map { "joined voice \($0)" } ?? "left voice"))")
        default:
            return false
        }
        await printWhatTheBotDid(after: before)
        return true
    }

    private func noMessage() -> Bool {
        print("  ✗ no message yet: `say something` first, or name the message id")
        return true
    }

    /// Waits briefly for the cogs' listeners, then prints the REST calls they made.
    func printWhatTheBotDid(after count: Int) async {
        let deadline = ContinuousClock.now + .milliseconds(800)
        var seen = count
        var quietSince = ContinuousClock.now
        while ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(40))
            let now = discord.requests.count
            if now != seen { seen = now; quietSince = .now }
            if seen > count, ContinuousClock.now - quietSince > .milliseconds(200) { break }
        }
        // Answers to interactions are the command's own output; the rest is what cogs did on Discord.
        let requests = discord.requests.dropFirst(count).filter { !$0.route.hasPrefix("/interactions/") && !$0.route.hasPrefix("/webhooks/") }
        guard !requests.isEmpty else { return print("  (no cog acted on it)") }
        for request in requests { print("  → the bot: \(Self.describe(request))") }
    }

    static func describe(_ request: RecordedRequest) -> String {
        let fields = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]
        switch (request.method, request.route) {
        case ("POST", "/channels/{channel_id}/messages"):
            let embed = ((fields?["embeds"] as? [[String: Any]])?.first?["title"] as? String).map { "the embed “\($0)”" }
            let said = fields?["content"] as? String ?? embed ?? "(an embed)"
            let reason = request.auditLogReason.map { " (reason: \($0))" } ?? ""
            return "said “\(said)”\(reason)"
        case ("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me"):
            let emoji = request.path.split(separator: "/").dropLast().last.map(String.init)?.removingPercentEncoding ?? "?"
            return "reacted \(emoji)"
        case ("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"), ("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"):
            let parts = request.path.split(separator: "/")
            let role = parts.last.map(String.init) ?? "?"
            let user = parts.dropLast(2).last.map(String.init) ?? "?"
            return request.method == "PUT" ? "gave role \(role) to \(user)" : "took role \(role) from \(user)"
        case ("PATCH", "/guilds/{guild_id}/members/{user_id}") where fields?["communication_disabled_until"] != nil:
            let until = fields?["communication_disabled_until"] as? String
            let reason = request.auditLogReason.map { " (audit log: \($0))" } ?? ""
            return (until.map { "timed out \(request.path.split(separator: "/").last ?? "?") until \($0)" } ?? "lifted a timeout") + reason
        default:
            return "\(request.method) \(request.route) → \(request.status)"
        }
    }
}
