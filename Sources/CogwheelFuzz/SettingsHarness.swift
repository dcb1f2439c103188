import Foundation
import SettingsFiles

/// The `.env` and JSON settings files: any text either parses into names and values or is
/// refused with a reason, and a parsed name never holds `=` or a line break.
enum SettingsHarness {
    static let known: Set<String> = ["DISCORD_TOKEN", "GUILD_ID", "COGWHEEL_AUTOLOAD", "COGWHEEL_ADMIN_IDS", "COGWHEEL_LOG_LEVEL"]

    static func run(_ bytes: [UInt8]) {
        if let settings = try? DotEnv.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.env") {
            for (name, value) in settings {
                FuzzFailure.check(!name.contains("=") && !name.contains(where: \.isNewline), "a .env name \(name.debugDescription)")
                FuzzFailure.check(!value.isEmpty && !value.contains(where: \.isNewline), "a .env value \(value.debugDescription)")
            }
        }
        if let settings = try? ConfigFile.settings(json: Data(bytes), file: "fuzz.json", known: known) {
            FuzzFailure.check(Set(settings.keys).isSubset(of: known), "the config file let through \(settings.keys)")
        }
    }
}
