import ArgumentParser
import CogHost
import DiscordModels
import Foundation
import Logging

/// `cogwheel run`: serve interactions with the installed cogs.
///
/// Until the gateway lands, the event source is a stream of INTERACTION_CREATE frames (or bare
/// interaction objects), one JSON document per line, from a file or standard input; each
/// answer is written to standard output as one JSON line.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Serve INTERACTION_CREATE frames (one JSON per line) from a file or stdin; answers go to stdout as JSON lines."
    )

    @OptionGroup var host: HostOptions

    @Option(help: "File of gateway frames, one per line; '-' for standard input.")
    var events = "-"

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        let configuration = try host.hostConfiguration()
        let nextLine = try lineReader()
        let (cogHost, _) = try await CogHost.start(configuration: configuration, logger: ConsoleLogging.logger(level: logLevel))
        let source = InProcessEventSource(router: cogHost.router)
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await cogHost.run() }
            while let line = nextLine() {
                guard !line.isEmpty else { continue }
                print(Self.answerLine(await source.deliver(frame: Array(line.utf8))))
            }
            group.cancelAll()
        }
        await cogHost.shutdown()
    }

    /// Reads lines from standard input, or from the events file.
    private func lineReader() throws -> () -> String? {
        guard events != "-" else { return { readLine() } }
        guard let contents = try? String(contentsOfFile: events, encoding: .utf8) else {
            throw ValidationError("cannot read the events file \(events)")
        }
        var lines = contents.split(separator: "\n").makeIterator()
        return { lines.next().map(String.init) }
    }

    /// One output line: the callback bodies and edits sent for one interaction.
    static func answerLine(_ answers: [RecordedResponse]) -> String {
        let parts = answers.map { answer -> String in
            switch answer {
            case .initial(let callback): "{\"callback\":\(String(decoding: callback.body, as: UTF8.self))}"
            case .edit(let message): "{\"edit\":\(String(decoding: message, as: UTF8.self))}"
            }
        }
        return "{\"answers\":[\(parts.joined(separator: ","))]}"
    }
}
