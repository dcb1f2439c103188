import Foundation

/// What `/cogs` and `cogwheel cogs list` show about one cog.
public struct CogStatus: Sendable, Equatable {
    public let name: String
    public let version: String?
    public let generation: Int?
    public let loadedAt: Date?
    public let commands: [String]
    /// The gateway events the serving generation listens to, and the intents they need.
    public let events: [String]
    public let intents: [String]
    /// The Discord capabilities the serving generation declared, and those the operator denied it.
    public let capabilities: [String]
    public let deniedCapabilities: [String]
    public let lastError: String?
    public let quarantine: String?

    /// Whether a generation is serving.
    public var isLoaded: Bool { generation != nil }
}

/// The outcome of one successful reload.
public struct ReloadReport: Sendable {
    public let cog: String
    public let fromGeneration: Int
    public let toGeneration: Int
    public let fromVersion: String
    public let toVersion: String
    /// From the start of the reload until the new generation served (copy, dlopen, init, swap).
    public let timeToSwap: Duration
    /// Including draining and shutting down the old generation.
    public let totalTime: Duration
    /// `false` when the old generation still had calls after the drain timeout and was abandoned.
    public let drained: Bool
    /// Whether the command definitions differ from the old generation's.
    public let commandsChanged: Bool
    /// Whether the same build was loaded again (its image was already mapped).
    public let sameBuild: Bool
    /// Capabilities the new build declares that the old one did not.
    public let addedCapabilities: [String]
}

/// The outcome of loading one cog at start-up.
public enum AutoloadResult: Sendable, Equatable {
    case loaded(String)
    case failed(String, reason: String)
    case skippedQuarantined(String, reason: String)
}
