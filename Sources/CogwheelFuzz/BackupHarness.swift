import Crypto
import Foundation
import Storage

/// Restoring a backup file: the first byte chooses a plain (`.sqlite3.gz`) or sealed
/// (`.sqlite3.gz.enc`) file, the rest is its content, and the harness writes the checksum
/// file that matches it (a crafted file would come with one). A restore either fails with a
/// reason, leaving nothing behind, or yields a database that passes the integrity check and
/// holds only objects the host makes.
final class BackupHarness: @unchecked Sendable {
    // @unchecked: libFuzzer calls one input at a time.
    static let shared = BackupHarness()

    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-fuzz-backup-\(getpid())")
    private let plain: DatabaseBackup
    private let sealed: DatabaseBackup

    private init() {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            plain = DatabaseBackup(directory: directory.appendingPathComponent("backups"))
            sealed = DatabaseBackup(directory: directory.appendingPathComponent("backups"),
                                    key: try BackupKey(String(repeating: "ab", count: 32)))
        } catch {
            FuzzFailure.stop("cannot set up the backup harness: \(error)")
        }
    }

    func run(_ bytes: [UInt8]) {
        guard let mode = bytes.first else { return }
        let encrypted = mode % 2 == 1
        let file = directory.appendingPathComponent("fuzz.sqlite3.gz" + (encrypted ? ".enc" : ""))
        let database = directory.appendingPathComponent("data/cogwheel.sqlite3")
        let content = Data(bytes.dropFirst())
        let digest = SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined()
        defer {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent("data"))
            try? FileManager.default.removeItem(at: file)
        }
        do {
            try content.write(to: file)
            try Data("\(digest)  \(file.lastPathComponent)\n".utf8).write(to: URL(fileURLWithPath: file.path + ".sha256"))
        } catch {
            FuzzFailure.stop("cannot write the input: \(error)")
        }
        guard let restored = try? (encrypted ? sealed : plain).restore(file, into: database) else {
            let left = (try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("data").path)) ?? []
            FuzzFailure.check(left.allSatisfy { !$0.hasPrefix(".restore-") }, "a refused restore left \(left)")
            return
        }
        FuzzFailure.check(restored.check.isHealthy, "a restored database is not healthy")
        let unknown = (try? RestoredSchema.unknownObjects(in: SQLiteDatabase(file: database))) ?? ["(unreadable)"]
        FuzzFailure.check(unknown.isEmpty, "a restored database holds \(unknown)")
    }
}
