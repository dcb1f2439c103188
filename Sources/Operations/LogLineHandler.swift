import Foundation
import Logging

/// The bot's log handler: one line per event, as text or JSON, on standard error and
/// optionally in a ``RotatingLogFile``, with a level per subsystem (`subsystem` metadata).
///
/// ```swift
/// let logger = try LogLineHandler.logger(settings: try LogSettings.fromEnvironment(environment))
/// let gateway = logger.subsystem("gateway")   // its level comes from COGWHEEL_LOG_LEVELS
/// ```
public struct LogLineHandler: LogHandler {
    let label: String
    let settings: LogSettings
    let file: RotatingLogFile?
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// The lowest of the levels, so every line some subsystem wants reaches ``log(event:)``;
    /// it then applies the subsystem's own level. Setting it sets the default level.
    public var logLevel: Logger.Level {
        get { ([defaultLevel] + settings.subsystemLevels.values).min() ?? defaultLevel }
        set { defaultLevel = newValue }
    }

    private var defaultLevel: Logger.Level

    init(label: String, settings: LogSettings, file: RotatingLogFile?) {
        self.label = label
        self.settings = settings
        self.file = file
        defaultLevel = settings.level
    }

    /// A logger writing as `settings` say.
    /// - Throws: When the log file cannot be opened.
    public static func logger(label: String = "cogwheel", settings: LogSettings) throws -> Logger {
        let file = try settings.file.map { try RotatingLogFile(file: $0, maxBytes: settings.maxFileBytes, keep: settings.keepFiles) }
        return Logger(label: label) { label in LogLineHandler(label: label, settings: settings, file: file) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        let subsystem = merged["subsystem"].map { "\($0)" } ?? "host"
        guard event.level >= settings.subsystemLevels[subsystem] ?? defaultLevel else { return }
        let line = settings.format == .json
            ? Self.json(event: event, label: label, metadata: merged)
            : Self.text(event: event, label: label, metadata: merged)
        FileHandle.standardError.write(Data((line + "\n").utf8))
        file?.write(line)
    }

    /// One line per event: newlines in the message or a value (a player's input, a cog's error)
    /// are escaped, so nobody can forge a log line.
    static func text(event: LogEvent, label: String, metadata: Logger.Metadata) -> String {
        let fields = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\(escaped("\($0.value)"))" }.joined(separator: " ")
        return "\(Self.timestamp()) \(event.level) \(label): \(escaped("\(event.message)"))" + (fields.isEmpty ? "" : " \(fields)")
    }

    static func escaped(_ text: String) -> String {
        guard text.contains(where: \.isNewline) else { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}": escaped += "\\u{\(String(scalar.value, radix: 16))}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    static func json(event: LogEvent, label: String, metadata: Logger.Metadata) -> String {
        var object: [String: Any] = ["time": Self.timestamp(), "level": event.level.rawValue, "label": label,
                                     "message": "\(event.message)"]
        for (key, value) in metadata where object[key] == nil {
            object[key] = "\(value)"
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return #"{"level":"error","message":"unencodable log line"}"#
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func timestamp() -> String {
        Date().formatted(Self.timeStyle)
    }

    /// ISO 8601 in UTC with milliseconds, as the heartbeat file writes its time.
    public static let timeStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}

extension Logger {
    /// This logger with `subsystem` metadata, whose level ``LogLineHandler`` looks up.
    public func subsystem(_ name: String) -> Logger {
        var logger = self
        logger[metadataKey: "subsystem"] = .string(name)
        return logger
    }
}
