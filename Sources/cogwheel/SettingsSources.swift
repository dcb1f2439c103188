import ArgumentParser
import BotApplication
import Foundation

/// Where `run` and `check-config` read settings from, strongest first: the environment, the
/// `.env` file, then an optional JSON config file. All three use the same variable names.
///
/// ```json
/// { "COGWHEEL_DATA_DIR": "/var/lib/cogwheel", "COGWHEEL_AUTOLOAD": ["dice", "xp"], "COGWHEEL_HEARTBEAT_SECONDS": 10 }
/// ```
struct SettingsSources: ParsableArguments {
    @Option(help: "A .env file with settings; variables already in the environment win.")
    var envFile = ".env"

    @Option(help: "A JSON config file (env COGWHEEL_CONFIG): an object of settings by variable name; the environment and .env win.")
    var config: String?

    /// The merged settings; an unreadable or invalid file is reported on standard error and
    /// ends the command with exit status 78 (EX_CONFIG), as invalid settings do.
    func environmentOrExit() throws -> [String: String] {
        do {
            return try environment()
        } catch {
            FileHandle.standardError.write(Data("cogwheel: \(error)\n".utf8))
            throw ExitCode(78)
        }
    }

    /// The merged settings.
    /// - Throws: `ValidationError` naming the file and the line or key that is wrong.
    func environment(_ process: [String: String] = ProcessInfo.processInfo.environment) throws -> [String: String] {
        let withDotEnv = try DotEnv.environment(mergingFile: envFile, environment: process)
        guard let path = config ?? withDotEnv["COGWHEEL_CONFIG"], !path.isEmpty else { return withDotEnv }
        return withDotEnv.merging(try ConfigFile.settings(at: path)) { stronger, _ in stronger }
    }
}

/// The optional JSON config file: one object whose keys are setting names (see `.env.example`)
/// and whose values are strings, numbers, booleans, or arrays of those (joined with commas).
enum ConfigFile {
    /// Every setting the bot reads (the key table); a key outside it is a typo the operator must hear about.
    static let knownSettings = SettingKey.names

    static func settings(at path: String) throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read the config file \(path)")
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ValidationError("\(path) is not valid JSON: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error)")
        }
        guard let object = parsed as? [String: Any] else {
            throw ValidationError("\(path) must hold one JSON object of settings, like {\"COGWHEEL_DATA_DIR\": \"data\"}")
        }
        var settings: [String: String] = [:]
        var problems: [String] = []
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            guard knownSettings.contains(key) else {
                problems.append("\(key) is not a setting" + (closest(to: key).map { " (did you mean \($0)?)" } ?? ""))
                continue
            }
            guard let text = text(of: value) else {
                problems.append("\(key) must be a string, a number, a boolean or an array of those")
                continue
            }
            settings[key] = text
        }
        guard problems.isEmpty else { throw ValidationError("\(path): " + problems.joined(separator: "; ")) }
        return settings
    }

    private static func text(of value: Any) -> String? {
        switch value {
        case let string as String: return string
        case let number as NSNumber:
            // JSON's true and false arrive as NSNumber's boolean subclass, numbers as NSNumber itself.
            return type(of: number) == type(of: true as NSNumber) ? (number.boolValue ? "true" : "false") : number.stringValue
        case let array as [Any]:
            let parts = array.compactMap { $0 is [Any] ? nil : text(of: $0) }
            return parts.count == array.count ? parts.joined(separator: ",") : nil
        default: return nil
        }
    }

    /// The known setting that differs least from `key`, when it differs by a typo's worth.
    private static func closest(to key: String) -> String? {
        let upper = key.uppercased()
        return knownSettings.map { ($0, editDistance(Array(upper), Array($0))) }
            .filter { $0.1 <= 3 }.min { $0.1 < $1.1 }?.0
    }

    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
