import Foundation

/// The operations settings, from the environment (and `.env`):
///
/// | variable | meaning |
/// | --- | --- |
/// | `COGWHEEL_OPS_ADDRESS` | where `/health`, `/ready`, `/health/discord` and `/metrics` listen (default `127.0.0.1:9464`; `off`) |
/// | `COGWHEEL_HEARTBEAT_FILE` | the heartbeat JSON file (default `<data dir>/heartbeat.json`; `off`) |
/// | `COGWHEEL_HEARTBEAT_SECONDS` | seconds between heartbeats (default 10) |
public struct OperationsSettings: Sendable, Equatable {
    public var address: OperationsAddress?
    public var heartbeatFile: URL?
    public var heartbeatInterval: Duration

    /// Reads the settings, reporting every problem at once.
    /// - Throws: ``OperationsSettingsError`` listing each invalid variable.
    public static func fromEnvironment(_ environment: [String: String], dataDirectory: URL) throws -> OperationsSettings {
        var problems: [String] = []
        var settings = OperationsSettings(address: .defaultAddress, heartbeatFile: dataDirectory.appendingPathComponent("heartbeat.json"),
                                          heartbeatInterval: .seconds(10))
        if let text = environment["COGWHEEL_OPS_ADDRESS"], !text.isEmpty {
            do {
                settings.address = try OperationsAddress.parse(text)
            } catch {
                problems.append(error.description)
            }
        }
        if let path = environment["COGWHEEL_HEARTBEAT_FILE"], !path.isEmpty {
            settings.heartbeatFile = path == "off" ? nil : URL(fileURLWithPath: path)
        }
        if let text = environment["COGWHEEL_HEARTBEAT_SECONDS"], !text.isEmpty {
            if let seconds = Double(text), seconds >= 1, seconds <= 3600 {
                settings.heartbeatInterval = .milliseconds(Int64(seconds * 1000))
            } else {
                problems.append("COGWHEEL_HEARTBEAT_SECONDS must be a number of seconds from 1 to 3600, not '\(text)'")
            }
        }
        guard problems.isEmpty else { throw OperationsSettingsError(problems: problems) }
        return settings
    }
}

/// Operations settings are invalid; each problem names its variable and what it expects.
public struct OperationsSettingsError: Error, Sendable, CustomStringConvertible {
    public let problems: [String]

    public var description: String { problems.joined(separator: "; ") }
}
