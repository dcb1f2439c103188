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
        let (cogHost, _) = try await CogHost.start(configuration: configuration, logger: ConsoleLogging.logger(level: logLevel))
        var fileLines: IndexingIterator<[Substring]>?
        if events != "-" {
            guard let contents = try? String(contentsOfFile: events, encoding: .utf8) else {
                throw ValidationError("cannot read the events file \(events)")
            }
            fileLines = contents.split(separator: "\n").makeIterator()
        }
        let source = InProcessEventSource(router: cogHost.router)
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await cogHost.run() }
            while let line = fileLines != nil ? fileLines?.next().map(String.init) : readLine() {
                guard !line.isEmpty else { continue }
                let answers = await source.deliver(frame: Array(line.utf8))
                print(AnswerLine(answers).json)
            }
            group.cancelAll()
        }
        await cogHost.shutdown()
    }
}

/// One output line: the callback bodies and edits sent for one interaction.
struct AnswerLine {
    let answers: [RecordedResponse]

    init(_ answers: [RecordedResponse]) {
        self.answers = answers
    }

    var json: String {
        let parts = answers.map { answer -> String in
            switch answer {
            case .initial(let callback): "{\"callback\":\(String(decoding: callback.body, as: UTF8.self))}"
            case .edit(let message): "{\"edit\":\(String(decoding: message, as: UTF8.self))}"
            }
        }
        return "{\"answers\":[\(parts.joined(separator: ","))]}"
    }
}
