import DiscordModels
import Foundation
import Logging

/// How the bot logs, from the environment (and `.env`):
///
/// | variable | meaning |
/// | --- | --- |
/// | `COGWHEEL_LOG_LEVEL` | trace, debug, info (default), notice, warning, error, critical |
/// | `COGWHEEL_LOG_LEVELS` | per subsystem, overriding the level: `gateway=debug,rest=warning` (subsystems: host, gateway, rest, ops) |
/// | `COGWHEEL_LOG_FORMAT` | `text` (default) or `json` (one JSON object per line) |
/// | `COGWHEEL_LOG_FILE` | also write to this file, rotated by size (empty: standard error only) |
/// | `COGWHEEL_LOG_MAX_MB`, `COGWHEEL_LOG_KEEP` | rotate at this size (default 10 MB), keeping this many old files (default 5) |
public struct LogSettings: Sendable, Equatable {
    public enum Format: String, Sendable {
        case text, json
    }

    public var level: Logger.Level = .info
    public var subsystemLevels: [String: Logger.Level] = [:]
    public var format: Format = .text
    public var file: URL?
    public var maxFileBytes = 10 << 20
    public var keepFiles = 5

    public static let subsystems: Set = ["host", "gateway", "rest", "ops"]

    public init() {}

    /// Reads the settings, reporting every problem at once.
    /// - Throws: ``OperationsSettingsError`` listing each invalid variable.
    public static func fromEnvironment(_ environment: [String: String]) throws -> LogSettings {
        var settings = LogSettings()
        var problems: [String] = []
        let levels = "trace, debug, info, notice, warning, error or critical"
        if let text = environment["COGWHEEL_LOG_LEVEL"], !text.isEmpty {
            if let level = Logger.Level(rawValue: text.lowercased()) {
                settings.level = level
            } else {
                problems.append("COGWHEEL_LOG_LEVEL must be \(levels), not \(SettingValue.shown(text))")
            }
        }
        if let text = environment["COGWHEEL_LOG_LEVELS"], !text.isEmpty {
            for pair in text.split(separator: ",") {
                let parts = pair.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                guard parts.count == 2, subsystems.contains(parts[0]), let level = Logger.Level(rawValue: parts[1]) else {
                    problems.append("COGWHEEL_LOG_LEVELS must list subsystem=level pairs (subsystems: "
                        + "\(subsystems.sorted().joined(separator: ", ")); levels: \(levels)), not \(SettingValue.shown(String(pair)))")
                    continue
                }
                settings.subsystemLevels[parts[0]] = level
            }
        }
        if let text = environment["COGWHEEL_LOG_FORMAT"], !text.isEmpty {
            if let format = Format(rawValue: text.lowercased()) {
                settings.format = format
            } else {
                problems.append("COGWHEEL_LOG_FORMAT must be text or json, not \(SettingValue.shown(text))")
            }
        }
        if let path = environment["COGWHEEL_LOG_FILE"], !path.isEmpty {
            settings.file = URL(fileURLWithPath: path)
        }
        if let text = environment["COGWHEEL_LOG_MAX_MB"], !text.isEmpty {
            if let megabytes = Double(text), megabytes > 0 {
                settings.maxFileBytes = Int(megabytes * 1_048_576)
            } else {
                problems.append("COGWHEEL_LOG_MAX_MB must be a positive number of megabytes, not \(SettingValue.shown(text))")
            }
        }
        if let text = environment["COGWHEEL_LOG_KEEP"], !text.isEmpty {
            if let keep = Int(text), keep >= 1 {
                settings.keepFiles = keep
            } else {
                problems.append("COGWHEEL_LOG_KEEP must be a number of files, at least 1, not \(SettingValue.shown(text))")
            }
        }
        guard problems.isEmpty else { throw OperationsSettingsError(problems: problems) }
        return settings
    }
}
