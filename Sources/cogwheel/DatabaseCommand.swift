import ArgumentParser
import Foundation
import Storage

/// `cogwheel db …`: look after the host's SQLite database.
struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Inspect the host's SQLite database.",
        subcommands: [Check.self]
    )

    /// `cogwheel db check`: integrity, pages, WAL size, schema versions and table sizes.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the database: integrity, page counts, WAL size, schema versions, rows per table."
        )

        @OptionGroup var host: HostOptions

        func run() throws {
            let file = try host.hostConfiguration().dataDirectory.appendingPathComponent("cogwheel.sqlite3")
            guard FileManager.default.fileExists(atPath: file.path) else {
                throw CommandFailure("no database at \(file.path): the host creates it on its first start")
            }
            let check = try DatabaseCheck(try SQLiteDatabase(file: file))
            print("database: \(file.path)")
            print(check.report)
            if !check.isHealthy { throw ExitCode.failure }
        }
    }
}
