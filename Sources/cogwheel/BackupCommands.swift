import ArgumentParser
import Foundation
import Storage

/// `cogwheel backup`: an online backup of the database, safe while the bot runs.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up the database (gzip, SHA-256 file, AES-256-GCM with COGWHEEL_BACKUP_KEY), keeping the newest ones."
    )

    @OptionGroup var host: HostOptions

    func run() throws {
        let configuration = try host.hostConfiguration()
        guard FileManager.default.fileExists(atPath: configuration.databaseFile.path) else {
            throw CommandFailure("no database at \(configuration.databaseFile.path): the host creates it on its first start")
        }
        let made = try configuration.backups.create(from: try SQLiteDatabase(file: configuration.databaseFile))
        print("backup: \(made.file.path) (\(made.bytes) bytes\(made.encrypted ? ", encrypted" : ""), sha256 \(made.sha256))")
        for old in made.pruned { print("removed old backup \(old.lastPathComponent)") }
    }
}

/// `cogwheel restore FILE`: replace the database with a verified backup.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup after checking its checksum, key, compression and integrity; the bot must be stopped."
    )

    @OptionGroup var host: HostOptions

    @Argument(help: "The backup file (cogwheel-….sqlite3.gz or .gz.enc), with its .sha256 file beside it.")
    var file: String

    @Flag(help: "Replace an existing database (kept as replaced-<time>.sqlite3.gz[.enc] in the backups folder), and accept an unsealed backup although COGWHEEL_BACKUP_KEY is set.")
    var force = false

    func run() throws {
        let configuration = try host.hostConfiguration()
        if FileManager.default.fileExists(atPath: configuration.databaseFile.path), !force {
            throw CommandFailure("\(configuration.databaseFile.path) exists: pass --force to replace it (a copy is kept)")
        }
        let restored = try configuration.backups.restore(URL(fileURLWithPath: file), into: configuration.databaseFile,
                                                         unauthenticated: force)
        print("restored \(file) into \(configuration.databaseFile.path)")
        if let copy = restored.replacedCopy { print("the replaced database is kept at \(copy.path)") }
        print(restored.check.report)
    }
}

/// A failure the operator can act on: printed as `Error: …`, without the usage text.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
