import CogwheelTestSupport
import Foundation

/// Runs the built `cogwheel` executable, for tests that need a separate process.
enum CogwheelProcess {
    struct Result {
        let status: Int32
        let output: String
    }

    static func run(_ arguments: [String], input: String) throws -> Result {
        let process = Process()
        process.executableURL = BuiltCogs.binDirectory.appendingPathComponent("cogwheel")
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        // The crash test wants the plain signal, not the runtime's backtrace report.
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }
}
