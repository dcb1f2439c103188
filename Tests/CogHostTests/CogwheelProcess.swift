import CogwheelTestSupport
import Foundation

/// Runs the built `cogwheel` executable, for tests that need a separate process.
enum CogwheelProcess {
    struct Result {
        let status: Int32
        let output: String
    }

    /// Runs `cogwheel arguments` (or another built executable); `environment` adds to (or, with
    /// an empty value, removes from) the test's environment. The result holds standard output
    /// and standard error together.
    static func run(
        _ arguments: [String], executable: String = "cogwheel", input: String, environment overrides: [String: String] = [:]
    ) throws -> Result {
        let process = Process()
        process.executableURL = BuiltCogs.binDirectory.appendingPathComponent(executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        // The crash test wants the plain signal, not the runtime's backtrace report.
        environment["SWIFT_BACKTRACE"] = "enable=no"
        for (name, value) in overrides { environment[name] = value.isEmpty ? nil : value }
        process.environment = environment
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = overrides.isEmpty ? FileHandle.nullDevice : stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }
}
