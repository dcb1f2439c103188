import DiscordModels
import DiscordSimulator
import Foundation

/// One `cogwheel run` process of the soak, its output in a file.
struct ChaosBotProcess: @unchecked Sendable {
    // @unchecked: `Process` is thread-safe for what is used here (its pid, running state and exit status).
    private let process = Process()
    let outputFile: URL

    init(executable: URL, environment: [String: String], output: URL) throws {
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

    /// Waits until the bot has synced its commands and answers one.
    func waitUntilServing(_ discord: DiscordSimulator, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw ChaosError("the bot exited before serving:\n\(output)") }
            if !discord.registeredCommands().isEmpty,
               let answers = try? await discord.run("/ping", as: .init(id: 800_000_000_000_100_999, username: "warmup"),
                                                     timeout: .seconds(2)), !answers.isEmpty {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ChaosError("the bot never answered /ping:\n\(output)")
    }

    /// Sends SIGTERM and waits for the exit; the status, or `nil` if it did not exit in time
    /// (then it is killed).
    func terminate(within timeout: Duration) async throws -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return nil
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    var output: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }

    /// Every process's output of a soak in `directory`, for a failure's report.
    static func outputs(in directory: URL) -> String {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?.filter { $0.hasPrefix("bot-") }.sorted() ?? []
        return files.map { name in
            "--- \(name)\n" + ((try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? "")
        }.joined(separator: "\n")
    }
}

/// A soak could not be run at all.
public struct ChaosError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
