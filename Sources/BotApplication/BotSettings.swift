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

    /// Reads the connection's and the operations' settings from `environment` for a host
    /// configured as `host`, reporting every problem of both at once.
    /// - Throws: ``BotSettingsError`` listing each invalid variable.
    public static func read(environment: [String: String], host: HostConfiguration, logFile: URL?) throws(BotSettingsError) -> BotSettings {
        var problems: [String] = []
        var bot: BotConfiguration?
        var operations: OperationsSettings?
        do {
            bot = try BotConfiguration.fromEnvironment(environment)
        } catch {
            problems += error.problems
        }
        do {
            operations = try OperationsSettings.fromEnvironment(environment, dataDirectory: host.dataDirectory)
        } catch let error as OperationsSettingsError {
            problems += error.problems
        } catch {
            problems.append("\(error)")
        }
        guard let bot, let operations, problems.isEmpty else { throw BotSettingsError(problems: problems) }
        return BotSettings(host: host, bot: bot, operations: operations, logFile: logFile)
    }
}

/// Settings that cannot be used, each named with what is expected.
public struct BotSettingsError: Error, Sendable, CustomStringConvertible {
    public let problems: [String]

    public var description: String {
        "the configuration is invalid:\n" + problems.map { "  • \($0)" }.joined(separator: "\n")
    }
}
