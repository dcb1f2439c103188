import Foundation
import Logging
import Storage

/// Brings the host's tables and the tables of every cog about to be autoloaded to the schema
/// versions their builds declare. It runs once, at start-up, before any cog serves and before
/// the gateway connects:
///
/// 1. work out what is pending; nothing pending means nothing to do;
/// 2. back up the database (unless it is new and holds nothing yet);
/// 3. migrate the host, then each cog, each owner in one transaction under its authorizer;
/// 4. on a failure, stop: that owner's transaction rolled back, and the error names the owner,
///    the migration, SQLite's message and the backup.
public struct StartupMigrations: Sendable {
    let database: SQLiteDatabase
    let backups: DatabaseBackup
    let logger: Logger

    /// What ran.
    public struct Report: Sendable {
        /// The backup taken first, when anything had to migrate on an existing database.
        public internal(set) var backup: URL?
        /// "owner: version (summary)" for every migration applied, in order.
        public internal(set) var applied: [String] = []
    }

    func run(host: SchemaMigrator, cogs: [CogImage]) throws(StartupMigrationError) -> Report {
        var migrators = [host]
        for image in cogs {
            migrators.append(.forCog(image.name, schemaVersion: Int(image.schemaVersion), migrations: image.migrations))
        }
        var report = Report()
        let hasPending: Bool
        let existing: Bool
        do {
            hasPending = try migrators.contains { try !$0.pending(in: database).isEmpty }
            existing = try host.recordedVersion(in: database) > 0
        } catch {
            throw StartupMigrationError(owner: "host", migration: "reading schema versions", reason: "\(error)", backup: nil)
        }
        guard hasPending else { return report }
        if existing {
            do {
                let made = try backups.create(from: database)
                report.backup = made.file
                logger.notice("backed up the database before migrating", metadata: ["file": "\(made.file.path)"])
            } catch {
                throw StartupMigrationError(owner: "host", migration: "the pre-migration backup", reason: "\(error)", backup: nil)
            }
        }
        for migrator in migrators {
            let applied: [Migration]
            do {
                // A database newer than the build is left alone: loading the cog refuses it.
                guard try migrator.recordedVersion(in: database) <= migrator.latestVersion else { continue }
                applied = try migrator.migrate(database)
            } catch {
                let failed = (error as? StorageError)?.context ?? migrator.owner
                throw StartupMigrationError(owner: migrator.owner, migration: failed,
                                            reason: (error as? StorageError)?.message ?? "\(error)", backup: report.backup)
            }
            for migration in applied {
                report.applied.append("\(migrator.owner): \(migration.version) (\(migration.summary))")
                logger.notice("migrated", metadata: ["owner": "\(migrator.owner)", "version": "\(migration.version)",
                                                      "change": "\(migration.summary)"])
            }
        }
        return report
    }
}

/// A migration failed at start-up; the host does not start.
public struct StartupMigrationError: Error, Sendable, CustomStringConvertible {
    /// `host` or `cog:<name>`.
    public let owner: String
    /// Which migration (or step) failed.
    public let migration: String
    /// SQLite's message.
    public let reason: String
    /// The backup taken before migrating, if one was.
    public let backup: URL?

    public var description: String {
        var text = "start-up migration failed in \(migration): \(reason). That owner's migrations were rolled back; the host did not start."
        if let backup { text += " The database as it was before migrating is backed up at \(backup.path)." }
        if owner.hasPrefix("cog:") {
            text += " Fix or remove the cog \(owner.dropFirst(4)) (its library in the cogs directory), then start again."
        }
        return text
    }
}
