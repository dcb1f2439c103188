import Foundation

/// The optional JSON config file: one object whose keys are setting names (see `.env.example`)
/// and whose values are strings, numbers, booleans, or arrays of those (joined with commas).
///
/// ```swift
/// try ConfigFile.settings(json: Data(#"{"COGWHEEL_AUTOLOAD": ["dice", "xp"]}"#.utf8), file: "bot.json", known: ["COGWHEEL_AUTOLOAD"])
/// // ["COGWHEEL_AUTOLOAD": "dice,xp"]
/// ```
public enum ConfigFile {
    /// The settings in the file at `path`.
    /// - Parameter known: Every setting the bot reads; a key outside it is a typo the operator
    ///   must hear about.
    public static func settings(at path: String, known: Set<String>) throws(SettingsFileError) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettingsFileError("cannot read the config file \(path)")
        }
        return try settings(json: data, file: path, known: known)
    }

    /// The settings in `json`, read from `file`.
    /// - Throws: ``SettingsFileError`` naming the file and every key that is wrong.
    public static func settings(json data: Data, file path: String, known knownSettings: Set<String>) throws(SettingsFileError) -> [String: String] {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw SettingsFileError("\(path) is not valid JSON: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error)")
        }
        guard let object = parsed as? [String: Any] else {
            throw SettingsFileError("\(path) must hold one JSON object of settings, like {\"COGWHEEL_DATA_DIR\": \"data\"}")
        }
        var settings: [String: String] = [:]
        var problems: [String] = []
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            guard knownSettings.contains(key) else {
                problems.append("\(key) is not a setting" + (closest(to: key, in: knownSettings).map { " (did you mean \($0)?)" } ?? ""))
                continue
            }
            guard let text = text(of: value) else {
                problems.append("\(key) must be a string, a number, a boolean or an array of those")
                continue
            }
            settings[key] = text
        }
        guard problems.isEmpty else { throw SettingsFileError("\(path): " + problems.joined(separator: "; ")) }
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
    private static func closest(to key: String, in knownSettings: Set<String>) -> String? {
        let upper = key.uppercased()
        return knownSettings.sorted().map { ($0, editDistance(Array(upper), Array($0))) }
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
