import Crypto
import Foundation
import Storage
import Testing

@Suite("Backups and restore")
struct BackupTests {
    /// A database with some rows, in a fresh data directory.
    static func populated() throws -> (directory: URL, database: SQLiteDatabase, backups: DatabaseBackup) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-backup-\(UUID().uuidString)")
        let database = try SQLiteDatabase(file: directory.appendingPathComponent("cogwheel.sqlite3"))
        try database.execute("CREATE TABLE xp__points (user INTEGER PRIMARY KEY, points INTEGER)")
        try database.transaction { scope in
            for user in 1...500 { try scope.execute("INSERT INTO xp__points VALUES (?, ?)", [.integer(Int64(user)), .integer(Int64(user * 10))]) }
        }
        return (directory, database, DatabaseBackup(directory: directory.appendingPathComponent("backups")))
    }

    static func points(_ file: URL) throws -> Int64? {
        try SQLiteDatabase(file: file).query("SELECT sum(points) AS total FROM xp__points").first?["total"].integer
    }

    @Test("a backup restores to the same data; the replaced database is kept")
    func roundTrip() throws {
        let (directory, database, backups) = try Self.populated()
        let made = try backups.create(from: database)
        #expect(made.file.lastPathComponent.hasSuffix(".sqlite3.gz"))
        #expect(FileManager.default.fileExists(atPath: made.file.path + ".sha256"))
        try database.execute("DELETE FROM xp__points")

        let target = directory.appendingPathComponent("restored/cogwheel.sqlite3")
        let restored = try backups.restore(made.file, into: target)
        #expect(restored.check.isHealthy)
        #expect(try Self.points(target) == 1_252_500)
        #expect(restored.replacedCopy == nil)

        let again = try backups.restore(made.file, into: target)
        #expect(again.replacedCopy.map { FileManager.default.fileExists(atPath: $0.path) } == true)
    }

    @Test("a corrupt or truncated backup is refused and the live database untouched")
    func corruptBackup() throws {
        let (directory, database, backups) = try Self.populated()
        let made = try backups.create(from: database)
        let live = directory.appendingPathComponent("cogwheel.sqlite3")
        var bytes = try Data(contentsOf: made.file)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: made.file)
        do {
            _ = try backups.restore(made.file, into: live)
            Issue.record("a corrupt backup was restored")
        } catch let error as StorageError {
            #expect(error.message.contains("checksum mismatch"))
        }
        try bytes.prefix(100).write(to: made.file)
        #expect(throws: StorageError.self) { try backups.restore(made.file, into: live) }
        #expect(try Self.points(live) == 1_252_500)
    }

    @Test("an encrypted backup needs the right key")
    func encryption() throws {
        var (directory, database, backups) = try Self.populated()
        backups.key = try BackupKey(String(repeating: "ab", count: 32))
        let made = try backups.create(from: database)
        #expect(made.encrypted && made.file.pathExtension == "enc")
        #expect(try !Data(contentsOf: made.file).starts(with: [0x1F, 0x8B]), "encrypted data must not be plain gzip")

        var wrong = backups
        wrong.key = try BackupKey(String(repeating: "cd", count: 32))
        let target = directory.appendingPathComponent("restored/cogwheel.sqlite3")
        do {
            _ = try wrong.restore(made.file, into: target)
            Issue.record("a wrong key was accepted")
        } catch let error as StorageError {
            #expect(error.message.contains("wrong key"))
        }
        #expect(!FileManager.default.fileExists(atPath: target.path))
        #expect(try backups.restore(made.file, into: target).check.isHealthy)
        #expect(try Self.points(target) == 1_252_500)
        #expect(throws: StorageError.self) { _ = try BackupKey("too short") }
    }

    @Test("a backup spanning many chunks round-trips encrypted; frames cut off or reordered are refused even with a matching checksum")
    func encryptedFrames() throws {
        var (directory, database, backups) = try Self.populated()
        try database.execute("CREATE TABLE xp__noise (payload BLOB)")
        try database.execute("""
            WITH RECURSIVE ids(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM ids WHERE id < 1500)
            INSERT INTO xp__noise SELECT randomblob(4096) FROM ids
            """)
        backups.key = try BackupKey(String(repeating: "ab", count: 32))
        let made = try backups.create(from: database)
        #expect(made.bytes > 5 << 20, "several megabytes of incompressible pages make several frames")
        let target = directory.appendingPathComponent("restored/cogwheel.sqlite3")
        #expect(try backups.restore(made.file, into: target).check.tables.first { $0.name == "xp__noise" }?.rows == 1500)

        // Cut the file after its first frame and re-sign it, as an attacker or a broken copy
        // tool might: the frames themselves must refuse it.
        let bytes = try Data(contentsOf: made.file)
        let firstFrame = 4 + Int(bytes.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        for damaged in [bytes.prefix(firstFrame), bytes.dropFirst(firstFrame)] {
            try Data(damaged).write(to: made.file)
            try Self.resign(made.file)
            let error = try #require(throws: StorageError.self) { try backups.restore(made.file, into: target) }
            #expect(error.message.contains("truncated") || error.message.contains("damaged"), "\(error)")
        }
        #expect(try SQLiteDatabase(file: target).query("SELECT count(*) AS n FROM xp__noise").first?["n"] == .integer(1500))
    }

    /// Rewrites a backup's .sha256 to match its current bytes.
    static func resign(_ file: URL) throws {
        let hex = SHA256.hash(data: try Data(contentsOf: file)).map { String(format: "%02x", $0) }.joined()
        try Data("\(hex)  \(file.lastPathComponent)\n".utf8).write(to: URL(fileURLWithPath: file.path + ".sha256"))
    }

    @Test("restore refuses while a host holds the data directory")
    func refusesWhileRunning() throws {
        let (directory, database, backups) = try Self.populated()
        let made = try backups.create(from: database)
        let lock = try DataDirectoryLock.acquire(in: directory)
        do {
            _ = try backups.restore(made.file, into: directory.appendingPathComponent("cogwheel.sqlite3"))
            Issue.record("restored under a running host")
        } catch let error as StorageError {
            #expect(error.message.contains("process \(getpid())"))
        }
        #expect(throws: StorageError.self) { _ = try DataDirectoryLock.acquire(in: directory) }
        _ = lock
    }

    @Test("retention keeps the newest backups by count")
    func retention() throws {
        var (_, database, backups) = try Self.populated()
        backups.keepCount = 3
        var made: [DatabaseBackup.Made] = []
        for second in 0..<5 {
            made.append(try backups.create(from: database, at: Date(timeIntervalSince1970: 1_800_000_000 + Double(second))))
        }
        let kept = backups.existing().map(\.lastPathComponent)
        #expect(kept.count == 3)
        #expect(kept.first == made.last?.file.lastPathComponent)
        #expect(made.last?.pruned.isEmpty == false)
    }

    /// A backup of `database` after `tamper` ran on the copy, re-sealed with a valid checksum,
    /// as someone who can write to the backups folder would craft it.
    static func crafted(_ backups: DatabaseBackup, from database: SQLiteDatabase, _ tamper: String) throws -> URL {
        let made = try backups.create(from: database)
        let scratch = backups.directory.appendingPathComponent("scratch-\(UUID().uuidString).sqlite3")
        _ = try backups.restore(made.file, into: scratch)
        let tampered = try SQLiteDatabase(file: scratch)
        try tampered.execute(tamper)
        let remade = try DatabaseBackup(directory: backups.directory.appendingPathComponent("crafted")).create(from: tampered)
        return remade.file
    }

    @Test("a backup holding a trigger, a view or a table the host never makes is refused on restore", arguments: [
        "CREATE TRIGGER xp__steal AFTER INSERT ON xp__points BEGIN DELETE FROM xp__points; END",
        "CREATE VIEW xp__everything AS SELECT * FROM xp__points",
        "CREATE TABLE stray (x)",
        "CREATE/**/VIRTUAL TABLE xp__search USING fts4(a)",
    ])
    func craftedSchemaIsRefused(tamper: String) throws {
        let (directory, database, backups) = try Self.populated()
        let crafted = try Self.crafted(backups, from: database, tamper)
        let target = directory.appendingPathComponent("restored/cogwheel.sqlite3")
        let error = try #require(throws: StorageError.self) { try backups.restore(crafted, into: target) }
        #expect(error.message.contains("objects the host never makes"), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }

    @Test("a backup that inflates past its cap is refused before it fills the disk")
    func decompressionIsCapped() throws {
        let (directory, database, _) = try Self.populated()
        var backups = DatabaseBackup(directory: directory.appendingPathComponent("backups"))
        try database.execute("CREATE TABLE xp__zeros (z BLOB)")
        // 8 MB of zeros deflate about 1,000 to 1: the cap must hold within a slice, not a megabyte.
        try database.execute("INSERT INTO xp__zeros VALUES (zeroblob(8000000))")
        let made = try backups.create(from: database)
        backups.maxExpansion = 2
        backups.minimumInflationCap = 4 << 20
        let error = try #require(throws: StorageError.self) {
            try backups.restore(made.file, into: directory.appendingPathComponent("restored/cogwheel.sqlite3"))
        }
        #expect(error.message.contains("inflates past 4 MiB"), "\(error)")
    }

    @Test("with a key set an unsealed backup needs --force; the replaced database is sealed, 0600 and pruned with the backups")
    func keyedRestore() throws {
        var (directory, database, backups) = try Self.populated()
        let unsealed = try backups.create(from: database)
        backups.key = try BackupKey(String(repeating: "ab", count: 32))
        let live = directory.appendingPathComponent("cogwheel.sqlite3")
        let refused = try #require(throws: StorageError.self) { try backups.restore(unsealed.file, into: live) }
        #expect(refused.message.contains("pass --force"), "\(refused)")

        backups.keepCount = 2
        var copies: [URL] = []
        for second in 0..<3 {
            let restored = try backups.restore(unsealed.file, into: live, unauthenticated: true)
            let copy = try #require(restored.replacedCopy)
            #expect(copy.lastPathComponent.hasPrefix("replaced-") && copy.pathExtension == "enc")
            let mode = try FileManager.default.attributesOfItem(atPath: copy.path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            copies.append(copy)
            if second < 2 { Thread.sleep(forTimeInterval: 1.05) }   // copies are named by the second
        }
        #expect(!FileManager.default.fileExists(atPath: copies[0].path), "the oldest replaced copy was pruned")
        #expect(FileManager.default.fileExists(atPath: copies[2].path))
        #expect(try Self.points(live) == 1_252_500)
    }
}
