import DiscordModels
import CogHost
import Foundation

/// Prints a readable transcript of commands and answers.
enum ConsoleTranscript {
    static func printStartup(_ startup: CogHost.StartupReport) {
        if let crash = startup.previousCrash { print("⚠️  \(crash.summary)") }
        for cog in startup.quarantined { print("⚠️  quarantined \(cog): it was running when the process died; /load \(cog) to bring it back") }
        if let backup = startup.migrations.backup { print("💾 backed up the database before migrating: \(backup.path)") }
        for migration in startup.migrations.applied { print("🛠  migrated \(migration)") }
        for result in startup.autoload {
            switch result {
            case .loaded(let name): print("⚙️  loaded cog \(name)")
            case .failed(let name, let reason): print("✗  cog \(name) failed to load: \(reason)")
            case .skippedQuarantined(let name, _): print("⚠️  skipped quarantined cog \(name)")
            }
        }
    }

    static func printCommand(_ line: String, user: String) {
        print("\n\(user) ▸ \(line)")
    }

    static func printAnswers(_ answers: [RecordedResponse], after elapsed: Duration) {
        guard !answers.isEmpty else {
            print("  bot ▸ (no answer)")
            return
        }
        let timing = String(format: "%.2f ms", elapsed.milliseconds)
        for answer in answers {
            if answer.callbackType == .deferredChannelMessageWithSource {
                print("  bot ▸ (thinking…)")
                continue
            }
            guard let message = answer.message else { continue }
            let marker = message.isEphemeral ? " [only you can see this]" : ""
            let lines = message.text.split(separator: "\n", omittingEmptySubsequences: false)
            print("  bot ▸ \(lines.first ?? "")\(marker)")
            for line in lines.dropFirst() { print("        \(line)") }
        }
        print("        (\(timing))")
    }
}
