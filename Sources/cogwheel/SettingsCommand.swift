import ArgumentParser
import BotApplication
import Foundation

/// `cogwheel settings`: the key table as `.env.example` or the README's table; `--write`
/// rewrites both in a checkout after a key was added or changed in `SettingKey.all`.
struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Print every setting as .env.example (default) or a Markdown table; --write updates .env.example and README.md."
    )

    @Flag(help: "Print the README's Markdown table instead of .env.example.")
    var markdown = false

    @Flag(help: "Rewrite .env.example and the settings table in README.md under --package-path.")
    var write = false

    @Option(help: "The checkout whose files --write rewrites.")
    var packagePath = "."

    static let tableStart = "<!-- settings table: written by `cogwheel settings --write` -->"
    static let tableEnd = "<!-- end of the settings table -->"

    func run() throws {
        guard write else {
            print(markdown ? SettingKey.markdownTable : SettingKey.envExample, terminator: "")
            return
        }
        let root = URL(fileURLWithPath: packagePath)
        try SettingKey.envExample.write(to: root.appendingPathComponent(".env.example"), atomically: true, encoding: .utf8)
        let readmeFile = root.appendingPathComponent("README.md")
        let readme = try String(contentsOf: readmeFile, encoding: .utf8)
        guard let start = readme.range(of: Self.tableStart), let end = readme.range(of: Self.tableEnd), start.upperBound <= end.lowerBound else {
            throw ValidationError("README.md has no settings table markers (\(Self.tableStart) … \(Self.tableEnd))")
        }
        let updated = readme.replacingCharacters(in: start.upperBound..<end.lowerBound, with: "\n" + SettingKey.markdownTable)
        try updated.write(to: readmeFile, atomically: true, encoding: .utf8)
        print("wrote .env.example and the settings table in README.md (\(SettingKey.all.count) settings)")
    }
}
