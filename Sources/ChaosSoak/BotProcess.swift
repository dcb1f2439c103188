import DiscordModels
import DiscordSimulator
import Foundation

/// A `cogwheel run` child process against the simulator, its output in a file: the soak's
/// bot, and the process tests' (signals, crashes, what the next process finds).
///
/// ```swift
/// let bot = try BotProcess(executable: cogwheel, environment: ["DISCORD_TOKEN": token, …], output: log)
/// try await bot.waitUntilServing(discord, command: "/ping", as: player)
/// let status = try await bot.terminate(within: .seconds(15))     // SIGTERM, then the exit status
/// ```
public final class BotProcess: @unchecked Sendable {
    // @unchecked: `Process` is thread-safe for what is used here (its pid, running state and exit status).
    private let process = Process()
    public let outputFile: URL

    /// Starts `cogwheel run` with only `environment` (plus PATH and HOME): the caller's own
    /// environment must not leak settings into the bot.
    public init(executable: URL, environment: [String: String], output: URL) throws {
        outputFile = output
        guard FileManager.default.createFile(atPath: output.path, contents: nil) else {
            throw ChaosError("cannot create \(output.path)")
        }
        let handle = try FileHandle(forWritingTo: output)
        process.executableURL = executable
        process.arguments = ["run", "--env-file", "/nonexistent/.env"]
        var base = ["SWIFT_BACKTRACE": "enable=no"]
        for name in ["PATH", "HOME"] { base[name] = ProcessInfo.processInfo.environment[name] }
        process.environment = base.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    deinit { stop() }

    public var isRunning: Bool { process.isRunning }

    public func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits until the bot has synced its commands and answers `command`.
    public func waitUntilServing(
        _ discord: DiscordSimulator, command: String, as player: InteractionFactory.Invoker, timeout: Duration = .seconds(60)
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw ChaosError("the bot exited before serving:\n\(output)") }
            if !discord.registeredCommands().isEmpty,
               let answers = try? await discord.run(command, as: player, timeout: .seconds(2)), !answers.isEmpty {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ChaosError("the bot never answered \(command):\n\(output)")
    }

    /// Waits for the process to end; `nil` when it is still running after `timeout`.
    public func exitStatus(within timeout: Duration) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    /// Sends SIGTERM and waits for the exit; the status, or `nil` if it did not exit in time
    /// (then it is killed).
    public func terminate(within timeout: Duration) async throws -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        send(SIGTERM)
        if let status = try await exitStatus(within: timeout) { return status }
        stop()
        return nil
    }

    /// What the process wrote so far.
    public var output: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }

    /// Kills the process if it still runs (a failed test or soak left it), and waits for it.
    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Every process's output of a soak in `directory`, for a failure's report.
    static func outputs(in directory: URL) -> String {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?.filter { $0.hasPrefix("bot-") }.sorted() ?? []
        return files.map { name in
            "--- \(name)\n" + ((try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? "")
        }.joined(separator: "\n")
    }
}

/// A soak, or a bot process, could not be run.
public struct ChaosError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
