import CogHost
import Foundation

/// Builds of cogs produced by `swift build` for the tests, and hosts started on them.
public enum BuiltCogs {
    /// The package root, found from this file's path.
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Where `swift build` put the libraries (override with COGWHEEL_TEST_BIN_DIR).
    public static let binDirectory: URL = {
        if let override = ProcessInfo.processInfo.environment["COGWHEEL_TEST_BIN_DIR"] {
            return URL(fileURLWithPath: override)
        }
        return packageRoot.appendingPathComponent(".build/debug")
    }()

    /// The built library of product `product`.
    public static func library(_ product: String) throws -> URL {
        let url = binDirectory.appendingPathComponent("lib\(product).so")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TestSetupError("missing \(url.path): run `swift build --build-tests` before `swift test --skip-build` (see .ci/run)")
        }
        return url
    }

    /// Installs product `product` as cog `cog` in `directory`, as `cogwheel cogs build` does.
    /// `trailer` bytes make the file a distinct build.
    public static func install(_ product: String, as cog: String, in directory: URL, trailer: [UInt8] = []) throws {
        try CogInstaller.install(library: library(product), as: cog, into: directory, trailer: trailer)
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
