import CogKit
import Foundation
import Synchronization

/// What distinguishes one build of the probe cog from another.
public protocol ProbeBuild: Sendable {
    static var version: String { get }
    static var schemaVersion: Int { get }
    static var failsInit: Bool { get }
    /// Whether this build also hears members joining (the privileged GUILD_MEMBERS intent).
    static var hearsMembers: Bool { get }
    /// Whether this build declares MESSAGE_CONTENT (the 2.0.0 build does not, and is shown none).
    static var readsContent: Bool { get }
    /// Whether this build may ping @everyone (the 2.0.0 build adds `mentions.everyone`).
    static var pingsEveryone: Bool { get }
}

extension ProbeBuild {
    public static var hearsMembers: Bool { false }
    public static var readsContent: Bool { true }
    public static var pingsEveryone: Bool { false }
}

/// A cog for the host's tests: every command exercises one host behaviour.
public struct ProbeCog<Build: ProbeBuild>: Cog {
    public static var name: String { "probe" }
    public static var version: String { Build.version }
    public static var schemaVersion: Int { Build.schemaVersion }
    public static var intents: [Intent] { Build.readsContent ? [.messageContent] : [] }
    /// Every capability but `mentions.everyone`, which the 2.0.0 build adds.
    public static var capabilities: [Capability] {
        [.messagesSend, .messagesManage, .membersRoles, .membersNicknames, .membersModerate, .threads, .dm, .files, .rolesManage,
         .mentionsRoles] + (Build.pingsEveryone ? [.mentionsEveryone] : [])
    }

    /// Counts answered `/probe` calls; handed to the next generation on reload.
    final class Counter: Sendable {
        let value: Mutex<Int>
        init(_ start: Int) { value = Mutex(start) }
        func next() -> Int { value.withLock { $0 += 1; return $0 } }
        var current: Int { value.withLock { $0 } }
    }

    let counter: Counter

    public init(setup: CogSetup) throws {
        if Build.failsInit { throw ProbeInitError() }
        let restored = setup.previousState.flatMap { Int(String(decoding: $0, as: UTF8.self)) } ?? 0
        counter = Counter(restored)
        setup.logger.info("probe \(Build.version) starting from \(restored)")
    }

    public func exportState() throws -> [UInt8] {
        Array(String(counter.current).utf8)
    }

    /// Every message heard is counted under `heard:<message id>`, with the build that heard it,
    /// so tests can see that each event arrived once, and which generation took it; its content
    /// is kept under `content:<message id>`, and the order of a guild's messages under
    /// `order:<guild id>`. A message "sleep" takes 300 ms, "throw" throws.
    public static var listeners: [Listener<ProbeCog>] {
        var listeners: [Listener<ProbeCog>] = [
            .messageCreated { _, message, context in
                let key = StorageKey<[String]>("heard:\(message.id)", default: [])
                try context.storage.set(key, to: try context.storage.get(key, in: .global) + [Build.version], in: .global)
                // What the cog was shown: empty without the MESSAGE_CONTENT intent.
                try context.storage.set(StorageKey<String>("content:\(message.id)", default: ""), to: message.content, in: .global)
                if message.content == "throw" { throw ProbeInitError() }
                if message.content == "sleep" { try await Task.sleep(for: .milliseconds(300)) }
                // The order the guild's messages arrived in, under `order:<guild id>`.
                if let guild = message.guildID {
                    let order = StorageKey<[UInt64]>("order:\(guild)", default: [])
                    try context.storage.set(order, to: try context.storage.get(order, in: .global) + [message.id.rawValue], in: .global)
                }
                // Reads the host's cache as of this event: the author's permissions here, and their member.
                if message.content == "perms", let guild = message.guildID, let author = message.author {
                    let permissions = try await context.cache.permissions(of: author.id, in: guild, channel: message.channelID)
                    let member = try await context.cache.member(author.id, in: guild)
                    let report = "\(permissions.map { String($0.rawValue) } ?? "none") \(member?.displayName ?? "unknown")"
                    try context.storage.set(StorageKey<String>("perms:\(message.id)", default: ""), to: report, in: .global)
                }
            },
        ]
        if Build.hearsMembers {
            listeners.append(.memberJoined { _, member, context in
                try context.storage.set(StorageKey<String>("joined:\(member.user.id)", default: ""), to: member.guildID.description,
                                        in: .global)
            })
        }
        return listeners
    }

    public static var commands: [Command<ProbeCog>] {
        [
            Command("probe", "Report the serving build") { cog, _ in
                .message("probe \(Build.version) call \(cog.counter.next())")
            },
            Command("slow", "Answer after a delay", options: [.integer("ms", "Delay in milliseconds", required: true, min: 0, max: 60_000)]) { _, context in
                let delay: Int = try context.option("ms")
                try await Task.sleep(for: .milliseconds(delay))
                return .message("slow \(Build.version) after \(delay) ms")
            },
            Command("thinking", "Defer, then answer") { _, context in
                context.deferReply(ephemeral: true)
                try await Task.sleep(for: .milliseconds(20))
                return .message("thought it over")
            },
            Command("limited", "Once a minute", cooldown: Cooldown(rate: 1, per: 60, scope: .user)) { _, _ in
                .message("limited ok \(Build.version)")
            },
            Command("echo", "Echo typed options", options: [
                .string("text", "Some text", required: true),
                .integer("times", "Repeat count", min: 1, max: 5),
                .boolean("loud", "Shout"),
                .user("who", "Someone"),
                .number("ratio", "A number"),
            ]) { _, context in
                let text: String = try context.option("text")
                let times = context.option("times", default: 1)
                let loud = context.option("loud", default: false)
                let who = context.optionIfPresent("who", as: User.self)
                let ratio = context.optionIfPresent("ratio", as: Double.self)
                let words = Array(repeating: loud ? text.uppercased() : text, count: times).joined(separator: " ")
                var extras = ""
                if let who { extras += " to \(who.username)" }
                if let ratio { extras += " ratio \(ratio)" }
                return .message("\(words)\(extras) from \(context.user.username) in \(context.guildID?.description ?? "dm")")
            },
            Command("oops", "Fail in a way the player can fix") { _, _ in
                throw CommandError("That didn't work: try a smaller number.")
            },
            Command("fail", "Fail unexpectedly") { _, _ in
                throw ProbeFailure(reason: "database on fire")
            },
            Command("crash", "Trap inside the cog") { _, _ in
                fatalError("probe crash requested")
            },
            Command("remember", "Store a note in every key-value scope and read them back",
                    options: [.string("note", "What to store", required: true)]) { _, context in
                try remember(context)
            },
            Command("sql", "Run one SQL statement as the probe cog",
                    options: [.string("statement", "The SQL", required: true)]) { _, context in
                do {
                    let rows = try context.storage.query(try context.option("statement"))
                    return .message("rows: \(rows.map { $0.values.map { "\($0)" }.joined(separator: ",") }.joined(separator: ";"))")
                } catch let error as CogStorageError {
                    return .message("refused (\(error.kind)): \(error.message)", ephemeral: true)
                }
            },
            Command("config", "Settings", subcommands: [
                Command("show", "Show settings") { _, _ in .embed(Embed(title: "Settings", description: "all default")) },
            ]),
            Command("act", "Take one Discord action", options: [
                .string("action", "Which (see ProbeActions.swift)", required: true, maxLength: 40),
                .user("member", "Whom"),
                .role("role", "Which role"),
                .string("message", "A message id", maxLength: 20),
            ]) { _, context in
                try await act(context)
            },
        ]
    }
}

extension ProbeCog {
    static var note: StorageKey<String> { StorageKey("note", default: "(nothing)") }

    /// Writes the note in each scope with a scope-specific suffix, then reads each back, lists
    /// the guild's members, and resets the global one.
    static func remember(_ context: CommandContext) throws -> Reply {
        let text: String = try context.option("note")
        let guild = try context.requireGuild()
        let scopes: [(String, StorageScope)] = [
            ("global", .global), ("guild", .guild(guild)), ("channel", .channel(context.channelID ?? Snowflake(1))),
            ("user", .user(context.user.id)), ("member", .member(guild: guild, user: context.user.id)),
        ]
        for (label, scope) in scopes { try context.storage.set(Self.note, to: "\(text)/\(label)", in: scope) }
        var lines = try scopes.map { label, scope in "\(label)=\(try context.storage.get(Self.note, in: scope))" }
        let members = try context.storage.entries(String.self, in: .members(of: guild))
        lines.append("members=\(members.count)")
        try context.storage.reset(Self.note, in: .global)
        lines.append("global after reset=\(try context.storage.get(Self.note, in: .global))")
        return .message(lines.joined(separator: "\n"))
    }
}

struct ProbeInitError: Error, CustomStringConvertible {
    var description: String { "probe refuses to start (test build)" }
}

struct ProbeFailure: Error {
    let reason: String
}
