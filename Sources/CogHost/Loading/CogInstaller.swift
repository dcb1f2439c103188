import Foundation

/// Installs a built cog library where the host looks for it.
///
/// The file is written beside its destination and renamed over it, never written in place: a
/// running host may have the previous build mapped, and overwriting a mapped library crashes it
/// (DESIGN.md, "Loading cogs"). The host loads its own content-addressed copy, so a new build
/// takes effect only on `/reload`.
public enum CogInstaller {
    /// Copies `library` to `<directory>/lib<cog>.so`, with `trailer` appended (tests and
    /// benchmarks use it to make distinct builds of the same source).
    ///
    /// - Returns: The installed file.
    @discardableResult
    public static func install(library: URL, as cog: String, into directory: URL, trailer: [UInt8] = []) throws -> URL {
        guard var contents = try? Data(contentsOf: library) else {
            throw CogInstallError(cog: cog, reason: "no built library at \(library.path)")
        }
        contents.append(contentsOf: trailer)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let destination = directory.appendingPathComponent("lib\(cog).so")
        let temporary = directory.appendingPathComponent(".lib\(cog).so.\(UUID().uuidString)")
        try contents.write(to: temporary)
        guard rename(temporary.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw CogInstallError(cog: cog, reason: "could not install into \(directory.path): \(reason)")
        }
        return destination
    }
}

/// A cog library could not be installed; the previously installed build is unchanged.
public struct CogInstallError: Error, Sendable, CustomStringConvertible {
    public let cog: String
    public let reason: String

    public var description: String { "cog \(cog): \(reason); the installed build is unchanged" }
}
