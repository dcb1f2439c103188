import Foundation

/// What the host remembers between runs about its cogs.
public struct HostState: Codable, Sendable, Equatable {
    /// Cogs loaded at start-up, in order; `nil` until an admin first runs `/load` or `/unload`.
    public var autoload: [String]?
    /// Cogs not autoloaded because the process died while they were running, with the reason.
    public var quarantined: [String: String]

    public init(autoload: [String]? = nil, quarantined: [String: String] = [:]) {
        self.autoload = autoload
        self.quarantined = quarantined
    }
}

/// Reads and writes ``HostState`` as JSON, atomically (temporary file, then rename).
struct HostStateStore: Sendable {
    let file: URL

    func read() throws -> HostState {
        guard FileManager.default.fileExists(atPath: file.path) else { return HostState() }
        do {
            return try JSONDecoder().decode(HostState.self, from: Data(contentsOf: file))
        } catch {
            throw HostStateError(file: file.path, reason: "\(error)")
        }
    }

    func write(_ state: HostState) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).tmp")
        try encoder.encode(state).write(to: temporary)
        guard rename(temporary.path, file.path) == 0 else {
            throw HostStateError(file: file.path, reason: "rename failed: \(String(cString: strerror(errno)))")
        }
    }
}

/// The state file exists but cannot be read; the host will not guess.
public struct HostStateError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let reason: String

    public var description: String {
        "the host state file \(file) is unreadable (\(reason)); fix or remove it (removing it autoloads every cog)"
    }
}
