import CogHost
import Foundation

/// Builds cogs from a package's `cogs/` folder with SwiftPM and installs the libraries where
/// the host looks for them.
struct CogBuilder {
    /// The package root (the folder with Package.swift and cogs/).
    let packageDirectory: URL
    /// Where to install `lib<name>.so`.
    let installDirectory: URL
    let release: Bool

    /// Bundled cogs: every folder in `cogs/`.
    func bundledCogs() throws -> [String] {
        let folder = packageDirectory.appendingPathComponent("cogs")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { name in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isDirectory)
                    && isDirectory.boolValue
            }
            .sorted()
    }

    /// Builds `cog` and installs it; returns the installed library.
    func build(_ cog: String, output: (String) -> Void) throws -> URL {
        let configuration = release ? "release" : "debug"
        output("building \(cog) (\(configuration))…")
        try run(["swift", "build", "--package-path", packageDirectory.path, "-c", configuration, "--product", cog])
        let binPath = try capture(["swift", "build", "--package-path", packageDirectory.path, "-c", configuration, "--show-bin-path"])
        let built = URL(fileURLWithPath: binPath).appendingPathComponent("lib\(cog).so")
        let installed = try CogInstaller.install(library: built, as: cog, into: installDirectory)
        output("installed \(installed.path)")
        return installed
    }

    private func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CogBuildError(cog: arguments.last ?? "", message: "`\(arguments.joined(separator: " "))` failed with status \(process.terminationStatus)")
        }
    }

    private func capture(_ arguments: [String]) throws -> String {
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A cog build that failed; the running generation (if any) is untouched.
struct CogBuildError: Error, CustomStringConvertible {
    let cog: String
    let message: String
    var description: String { "cog \(cog): build failed: \(message)" }
}
