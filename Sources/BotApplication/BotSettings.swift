import BotRuntime
import CogHost
import Foundation
import Operations

/// Everything one bot process is configured with: the host, the connection to Discord, the
/// operations surface and logging. Read and validated once, before anything starts.
public struct BotSettings: Sendable {
    public var host: HostConfiguration
    public var bot: BotConfiguration
    public var operations: OperationsSettings
    /// The log file, when there is one: the crash log quotes its last lines.
    public var logFile: URL?
    /// How long a graceful shutdown may take before what is left is cancelled.
    public var drainTimeout: Duration

    public init(
        host: HostConfiguration, bot: BotConfiguration, operations: OperationsSettings, logFile: URL? = nil,
        drainTimeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.bot = bot
        self.operations = operations
        self.logFile = logFile
        self.drainTimeout = drainTimeout
    }
}
