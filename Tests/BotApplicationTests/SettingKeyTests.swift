import BotApplication
import CogwheelTestSupport
import Foundation
import Testing

/// The key table is the one place a setting is written: the files made from it match it, and
/// the code reads no variable it does not list.
@Suite("Settings: one key table")
struct SettingKeyTests {
    static let root = BuiltCogs.packageRoot

    @Test(".env.example is the table's (regenerate with `cogwheel settings --write`)")
    func envExampleMatches() throws {
        let file = try String(contentsOf: Self.root.appendingPathComponent(".env.example"), encoding: .utf8)
        #expect(file == SettingKey.envExample)
    }

    @Test("the README's settings table is the table's")
    func readmeMatches() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(SettingKey.markdownTable), "run `swift run cogwheel settings --write`")
    }

    @Test("every variable the code reads is in the table, and every key in the table is read")
    func codeAndTableAgree() throws {
        var read: Set<String> = []
        let sources = Self.root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        // Setting names as string literals; `GUILD_…` otherwise names gateway events. The tools
        // (chaos soak, benchmarks, fuzzers) read their own variables, not the bot's settings.
        let pattern = try Regex(#""((?:DISCORD|COGWHEEL)_[A-Z_]*[A-Z]|GUILD_ID)""#)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift", !file.path.contains("/ChaosSoak/"), !file.path.contains("/CogwheelBenchmarks/"),
                  !file.path.contains("/CogwheelFuzz/"),
                  file.lastPathComponent != "SettingKey.swift" else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: pattern) {
                if let name = match.output[1].substring { read.insert(String(name)) }
            }
        }
        // Read by the command line before settings exist, not a setting of the bot itself.
        read.subtract(["COGWHEEL_CONFIG", "COGWHEEL_TEST_BIN_DIR"])
        #expect(read.subtracting(SettingKey.names).isEmpty, "read but not in the table: \(read.subtracting(SettingKey.names).sorted())")
        #expect(SettingKey.names.subtracting(read).isEmpty, "in the table but never read: \(SettingKey.names.subtracting(read).sorted())")
    }
}
