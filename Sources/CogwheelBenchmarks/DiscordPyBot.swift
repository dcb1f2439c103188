import DiscordSimulator
import Foundation

/// The repository's unmodified discord.py bot (`Tests/Interop/discordpy_bot.py`), run as a
/// child process against a simulator for side-by-side figures.
enum DiscordPyBot {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tests/Interop/discordpy_bot.py")

    /// Whether python3 with discord.py is installed (`scripts/setup.sh` installs it).
    static let isAvailable: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import discord"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// Starts the bot, waits until it has synced its command, runs `body`, then stops it.
    static func withRunning<T>(_ discord: DiscordSimulator, token: String, _ body: () async throws -> T) async throws -> T {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("discordpy-bench-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, discord.apiBase, discord.gatewayURL]
        var environment = ProcessInfo.processInfo.environment
        environment["DISCORD_TOKEN"] = token
        process.environment = environment
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        defer { stop(process) }
        let deadline = ContinuousClock.now + .seconds(60)
        while !((try? String(contentsOf: log, encoding: .utf8))?.contains("SYNCED") ?? false) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                throw BenchmarkError("discord.py did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await body()
    }

    private static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
