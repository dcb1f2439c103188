import Foundation

/// Reads a `.env` file (`NAME=value` lines, `#` comments, optional quotes, optional `export`;
/// an empty value means "use the default"). Lines may end in LF or CRLF (a file saved on
/// Windows): a CRLF file read as one line would silently drop every setting after the first.
///
/// ```swift
/// try DotEnv.parse("export GUILD_ID=42\r\nCOGWHEEL_LOG_LEVEL='debug'\n", file: ".env")
/// // ["GUILD_ID": "42", "COGWHEEL_LOG_LEVEL": "debug"]
/// ```
public enum DotEnv {
    /// The process environment, with the file's variables added where the environment has none.
    /// A missing file is fine; an unreadable or malformed one is an error naming the line.
    public static func environment(
        mergingFile path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(SettingsFileError) -> [String: String] {
        guard FileManager.default.fileExists(atPath: path) else { return environment }
        guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SettingsFileError("cannot read \(path)")
        }
        return environment.merging(try parse(contents, file: path)) { fromEnvironment, _ in fromEnvironment }
    }

    /// The settings `contents` sets, the first line winning for a name set twice; `NAME=` sets
    /// nothing (the setting keeps its default, as if the line were absent).
    /// - Throws: ``SettingsFileError`` naming `file` and the line that is not `NAME=value`.
    public static func parse(_ contents: String, file: String) throws(SettingsFileError) -> [String: String] {
        var settings: [String: String] = [:]
        // "\r\n" is one Character, and a newline.
        for (number, rawLine) in contents.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            var line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)) }
            guard let equals = line.firstIndex(of: "=") else {
                throw SettingsFileError("\(file):\(number + 1): expected NAME=value")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            if settings[name] == nil, !value.isEmpty { settings[name] = value }
        }
        return settings
    }
}

/// A settings file cannot be used; the message names the file and the line or key.
public struct SettingsFileError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
