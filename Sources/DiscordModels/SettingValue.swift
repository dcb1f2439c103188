/// How a setting's value appears in a configuration error: quoted, unless it could be a
/// secret. A token pasted into the wrong variable must not reach a terminal, a log or a CI
/// transcript, so anything shaped like a bot token, a webhook URL or a key is described
/// instead of shown.
///
/// ```swift
/// problems.append("DISCORD_SHARD_COUNT must be a positive number, not \(SettingValue.shown(text))")
/// // … not 'three'
/// // … not a value that looks like a secret (72 characters; not shown)
/// ```
public enum SettingValue {
    public static func shown(_ value: String) -> String {
        looksSecret(value) ? "a value that looks like a secret (\(value.count) characters; not shown)" : "'\(value)'"
    }

    /// Anything longer than this is described, not shown: no setting's ordinary value is.
    static let longestShown = 40

    /// A bot token (`id.timestamp.hmac`, anywhere in the value), a webhook URL, a long run of
    /// base64 or hex, or simply a long value.
    public static func looksSecret(_ value: String) -> Bool {
        if value.count > longestShown || value.contains("/webhooks/") { return true }
        let words = value.split { !(isTokenCharacter($0) || $0 == ".") }
        if words.contains(where: { word in
            let parts = word.split(separator: ".", omittingEmptySubsequences: false)
            return parts.count == 3 && word.count >= 30 && parts.allSatisfy { !$0.isEmpty }
        }) { return true }
        var run = 0
        for character in value {
            run = isTokenCharacter(character) || character == "+" || character == "/" || character == "=" ? run + 1 : 0
            if run >= 24 { return true }
        }
        return false
    }

    private static func isTokenCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == "-")
    }
}
