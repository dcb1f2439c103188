import ArgumentParser
import Foundation

/// Reads a `.env` file (`NAME=value` lines, `#` comments, optional quotes, optional `export`;
/// an empty value means "use the default"). Lines may end in LF or CRLF (a file saved on
/// Windows): a CRLF file read as one line would silently drop every setting after the first.
enum DotEnv {
    /// The process environment, with the file's variables added where the environment has none.
    /// A missing file is fine; an unreadable or malformed one is an error naming the line.
    static func environment(mergingFile path: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> [String: String]
    {
        guard FileManager.default.fileExists(atPath: path) else { return environment }
        guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("cannot read \(path)")
        }
        var merged = environment
        // "\r\n" is one Character, and a newline.
        for (number, rawLine) in contents.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            var line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)) }
            guard let equals = line.firstIndex(of: "=") else {
                throw ValidationError("\(path):\(number + 1): expected NAME=value")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            // `NAME=` leaves the setting at its default, as if the line were absent.
            if merged[name] == nil, !value.isEmpty { merged[name] = value }
        }
        return merged
    }
}
