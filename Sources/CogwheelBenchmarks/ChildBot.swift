import DiscordModels
import DiscordSimulator
import Foundation
import Synchronization

/// A bot under test running as a child process against the simulator: the release `cogwheel`
/// executable or the discord.py bot in `bench/discordpy`. The driver reads its output lines,
/// writes control lines to it and reads its resident memory from `/proc`.
final class ChildBot {
    /// Which bot, as the report names it.
    let name: String
    private let process: Process
    private let input: FileHandle
    private let output: LineBuffer

    static let discordPyScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("bench/discordpy/bench_bot.py")

    /// The discord.py bench bot (`/ping`, `/reload NAME`, the `dice` and `listeners` extensions);
    /// with `members`, the members intent too.
    static func discordPy(_ discord: DiscordSimulator, token: String, members: Bool = false) throws -> ChildBot {
        try ChildBot(name: "discord.py", executable: "/usr/bin/env",
                     arguments: ["python3", discordPyScript.path, discord.apiBase, discord.gatewayURL],
                     environment: ["DISCORD_TOKEN": token, "BENCH_MEMBERS": members ? "1" : "0"])
    }

    /// `cogwheel run` with the `autoload` cogs from `cogsDirectory`, `admin` allowed to reload,
    /// and `settings` on top.
    static func cogwheel(executable: URL, _ discord: DiscordSimulator, token: String, dataDirectory: URL,
                         cogsDirectory: URL, admin: UInt64, autoload: [String] = ["dice", "ping"],
                         settings: [String: String] = [:]) throws -> ChildBot {
        try ChildBot(name: "Cogwheel", executable: executable.path, arguments: ["run", "--log-level", "warning"], environment: [
            "DISCORD_TOKEN": token, "DISCORD_API_BASE": discord.apiBase, "DISCORD_GATEWAY_URL": discord.gatewayURL,
            "COGWHEEL_DATA_DIR": dataDirectory.path, "COGWHEEL_COGS_DIR": cogsDirectory.path,
            "COGWHEEL_AUTOLOAD": autoload.joined(separator: ","), "COGWHEEL_ADMIN_IDS": "\(admin)", "COGWHEEL_BACKUP_EVERY_HOURS": "0",
            // The memory figure runs 200 reloads; the default budget would only recommend a restart.
            "COGWHEEL_RELOAD_BUDGET": "1000", "COGWHEEL_OPS_ADDRESS": "127.0.0.1:0",
        ].merging(settings) { $1 })
    }

    private init(name: String, executable: String, arguments: [String], environment: [String: String]) throws {
        self.name = name
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        input = stdin.fileHandleForWriting
        output = LineBuffer()
        try process.run()
        output.startReading(stdout.fileHandleForReading.fileDescriptor)
    }

    deinit { stop() }

    /// Sends one control line to the bot's standard input.
    func send(_ line: String) {
        input.write(Data((line + "\n").utf8))
    }

    /// Waits for an output line starting with `prefix`, seen after the `after`-th line.
    @discardableResult
    func waitForLine(startingWith prefix: String, after: Int = 0, timeout: Duration = .seconds(120)) async throws -> String {
        try await waitForLine(prefix, after: after, timeout: timeout) { $0.hasPrefix(prefix) }
    }

    /// Waits for an output line containing `text` (a log line's message), seen after the `after`-th line.
    @discardableResult
    func waitForLine(containing text: String, after: Int = 0, timeout: Duration = .seconds(120)) async throws -> String {
        try await waitForLine(text, after: after, timeout: timeout) { $0.contains(text) }
    }

    private func waitForLine(_ prefix: String, after: Int, timeout: Duration, where matches: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let line = output.first(after: after, where: matches) { return line }
            guard process.isRunning else {
                throw BenchmarkError("\(name) exited (status \(process.terminationStatus)) before printing \(prefix):\n\(recentOutput)")
            }
            guard ContinuousClock.now < deadline else {
                throw BenchmarkError("\(name) did not print \(prefix) within \(timeout):\n\(recentOutput)")
            }
            try await Task.sleep(for: .microseconds(250))
        }
    }

    /// How many output lines the bot has printed so far.
    var linesPrinted: Int { output.count }

    /// The last lines the bot printed, for error messages.
    var recentOutput: String { output.tail() }

    /// The child's resident set size, from `/proc/PID/status`.
    var residentBytes: Int {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return 0 }
        return kib * 1024
    }

    /// CPU time (user + system) the child has used, from `/proc/PID/stat`, in seconds.
    var cpuSeconds: Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let afterName = stat.lastIndex(of: ")")
        else { return 0 }
        // Fields after the command name start at field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: afterName)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Waits until the bot answers `/ping`: connected, READY and its commands registered.
    func waitUntilAnswering(_ discord: DiscordSimulator, timeout: Duration = .seconds(90)) async throws {
        let deadline = ContinuousClock.now + timeout
        let invoker = InteractionFactory.Invoker(id: 800_000_000_000_000_999, username: "driver")
        while ContinuousClock.now < deadline {
            if let id = try? discord.sendCommand("/ping", as: invoker), await discord.waitForAnswers(to: id, timeout: .seconds(1)) {
                return
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchmarkError("\(name) never answered /ping:\n\(recentOutput)")
    }

    /// Terminates the child (SIGTERM, then SIGKILL after 5 s) and waits for it.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// The lines a child printed, filled by a reader thread of its own so that a chatty child
/// never blocks on a full pipe.
final class LineBuffer: Sendable {
    private let lines = Mutex<[String]>([])

    func startReading(_ descriptor: Int32) {
        Thread.detachNewThread { [self] in
            var pending: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                pending += chunk[0..<count]
                while let newline = pending.firstIndex(of: 10) {
                    let line = String(decoding: pending[..<newline], as: UTF8.self)
                    pending.removeSubrange(...newline)
                    lines.withLock { $0.append(line) }
                }
            }
        }
    }

    var count: Int { lines.withLock { $0.count } }

    func first(after: Int, where matches: (String) -> Bool) -> String? {
        lines.withLock { lines in lines.dropFirst(after).first(where: matches) }
    }

    /// The last lines, for error messages.
    func tail() -> String {
        lines.withLock { $0.suffix(20).joined(separator: "\n") }
    }
}
