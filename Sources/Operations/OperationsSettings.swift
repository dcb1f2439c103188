import DiscordModels
import Foundation

/// The operations settings, from the environment (and `.env`):
///
/// | variable | meaning |
/// | --- | --- |
/// | `COGWHEEL_OPS_ADDRESS` | where `/health`, `/ready`, `/health/discord` and `/metrics` listen (default `127.0.0.1:9464`; `off`) |
/// | `COGWHEEL_OPS_TOKEN` | a bearer token `/metrics` requires (none by default) |
/// | `COGWHEEL_HEARTBEAT_FILE` | the heartbeat JSON file (default `<data dir>/heartbeat.json`; `off`) |
/// | `COGWHEEL_HEARTBEAT_SECONDS` | seconds between heartbeats (default 10) |
/// | `COGWHEEL_CRASH_WINDOW_SECONDS` | crashes within this many seconds count towards a crash loop (default 600) |
/// | `COGWHEEL_CRASH_LOOP_AFTER` | crashes within the window that start the back-off (default 3) |
/// | `COGWHEEL_CRASH_BACKOFF_MAX_SECONDS` | the longest wait before connecting in a crash loop (default 120) |
/// | `COGWHEEL_NOTIFY_WEBHOOK` | a Discord webhook URL told of start, crash-restart, failed reload and failed backup |
/// | `COGWHEEL_NOTIFY_CHANNEL` | a channel id the bot itself posts those notices to |
public struct OperationsSettings: Sendable, Equatable {
    public var address: OperationsAddress?
    public var metricsToken: OperationsToken?
    public var heartbeatFile: URL?
    public var heartbeatInterval: Duration
    public var crashLoop: CrashLoopGuard
    public var notifications: NotificationTargets

    /// Reads the settings, reporting every problem at once.
    /// - Throws: ``OperationsSettingsError`` listing each invalid variable.
    public static func fromEnvironment(_ environment: [String: String], dataDirectory: URL) throws -> OperationsSettings {
        var problems: [String] = []
        var settings = OperationsSettings(address: .defaultAddress, heartbeatFile: dataDirectory.appendingPathComponent("heartbeat.json"),
                                          heartbeatInterval: .seconds(10),
                                          crashLoop: CrashLoopGuard(file: dataDirectory.appendingPathComponent("crash-history.json")),
                                          notifications: NotificationTargets())
        if let text = environment["COGWHEEL_OPS_ADDRESS"], !text.isEmpty {
            do {
                settings.address = try OperationsAddress.parse(text)
            } catch {
                problems.append(error.description)
            }
        }
        if let text = environment["COGWHEEL_OPS_TOKEN"] {
            if text.utf8.contains(where: { $0 <= 0x20 || $0 >= 0x7F }) {
                problems.append("COGWHEEL_OPS_TOKEN must be printable ASCII without spaces (it is sent as an HTTP header)")
            } else {
                settings.metricsToken = OperationsToken(text)
            }
        }
        if let path = environment["COGWHEEL_HEARTBEAT_FILE"], !path.isEmpty {
            settings.heartbeatFile = path == "off" ? nil : URL(fileURLWithPath: path)
        }
        if let text = environment["COGWHEEL_HEARTBEAT_SECONDS"], !text.isEmpty {
            if let seconds = Double(text), seconds >= 1, seconds <= 3600 {
                settings.heartbeatInterval = .milliseconds(Int64(seconds * 1000))
            } else {
                problems.append("COGWHEEL_HEARTBEAT_SECONDS must be a number of seconds from 1 to 3600, not \(SettingValue.shown(text))")
            }
        }
        let whole = { (name: String, range: ClosedRange<Int>) -> Int? in
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let value = Int(text), range.contains(value) else {
                problems.append("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(SettingValue.shown(text))")
                return nil
            }
            return value
        }
        if let seconds = whole("COGWHEEL_CRASH_WINDOW_SECONDS", 10...86_400) { settings.crashLoop.window = .seconds(seconds) }
        if let count = whole("COGWHEEL_CRASH_LOOP_AFTER", 1...100) { settings.crashLoop.threshold = count }
        if let seconds = whole("COGWHEEL_CRASH_BACKOFF_MAX_SECONDS", 1...3_600) {
            settings.crashLoop.maxDelay = .seconds(seconds)
            settings.crashLoop.baseDelay = min(settings.crashLoop.baseDelay, .seconds(seconds))
        }
        do {
            settings.notifications = try NotificationTargets(webhook: environment["COGWHEEL_NOTIFY_WEBHOOK"],
                                                             channel: environment["COGWHEEL_NOTIFY_CHANNEL"])
        } catch {
            problems += error.problems
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
