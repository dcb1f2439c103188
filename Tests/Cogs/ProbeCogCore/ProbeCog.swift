import CogKit
import Foundation
import Synchronization

/// What distinguishes one build of the probe cog from another.
public protocol ProbeBuild: Sendable {
    static var version: String { get }
    static var schemaVersion: Int { get }
    static var failsInit: Bool { get }
}

/// A cog for the host's tests: every command exercises one host behaviour.
public struct ProbeCog<Build: ProbeBuild>: Cog {
    public static var name: String { "probe" }
    public static var version: String { Build.version }
    public static var schemaVersion: Int { Build.schemaVersion }

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
            Command("config", "Settings", subcommands: [
                Command("show", "Show settings") { _, _ in .embed(Embed(title: "Settings", description: "all default")) },
            ]),
        ]
    }
}

struct ProbeInitError: Error, CustomStringConvertible {
    var description: String { "probe refuses to start (test build)" }
}

struct ProbeFailure: Error {
    let reason: String
}
