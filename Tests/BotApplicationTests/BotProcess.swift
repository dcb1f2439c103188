import CogwheelTestSupport
import Foundation

/// A `cogwheel run` child process against the simulator, for tests that need a real process
/// boundary: signals, crashes, and what the next process finds in the data directory.
final class BotProcess: @unchecked Sendable {
    let process = Process()
    let outputFile: URL

    /// Starts `cogwheel run` with only `environment` (plus PATH and HOME): the test's own
    /// environment must not leak settings into the bot. Output goes to `outputFile`.
    init(environment: [String: String], outputFile: URL) throws {
        self.outputFile = outputFile
        guard FileManager.default.createFile(atPath: outputFile.path, contents: nil) else {
            throw TestSetupError("cannot create \(outputFile.path)")
        }
        let output = try FileHandle(forWritingTo: outputFile)
        process.executableURL = BuiltCogs.binDirectory.appendingPathComponent("cogwheel")
        process.arguments = ["run", "--env-file", "/nonexistent/.env"]
        var base = ["SWIFT_BACKTRACE": "enable=no"]
        for name in ["PATH", "HOME"] { base[name] = ProcessInfo.processInfo.environment[name] }
        process.environment = base.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to end; `nil` when it is still running after `timeout`.
    func exitStatus(within timeout: Duration) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    var output: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }

    /// Ends the process if a failed test left it running.
    func stop() { ChildProcess.stop(process) }
}
