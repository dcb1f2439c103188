import Foundation

/// An exclusive lock on a data directory (`host.lock`, `flock`), held by the running host for
/// its lifetime, so two hosts never share one database and `restore` can tell a bot is running.
/// The kernel releases it when the process dies, however it dies.
public final class DataDirectoryLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    static func file(in directory: URL) -> URL { directory.appendingPathComponent("host.lock") }

    /// Takes the lock and records this process's id in it.
    ///
    /// - Throws: ``StorageError`` naming the other process when a host already runs on `directory`.
    public static func acquire(in directory: URL) throws -> DataDirectoryLock {
        let path = file(in: directory).path
        let descriptor = open(path, O_CREAT | O_RDWR, 0o600)
        guard descriptor >= 0 else {
            throw StorageError(code: -1, message: String(cString: strerror(errno)), context: "opening \(path)")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            let owner = holder(in: directory).map { "process \($0)" } ?? "another process"
            throw StorageError(code: -1, message: "\(owner) is already running a host on \(directory.path)",
                               context: "locking the data directory")
        }
        ftruncate(descriptor, 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pid.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        return DataDirectoryLock(descriptor: descriptor)
    }

    /// The process holding the lock on `directory`, or `nil` when no host runs there.
    public static func holder(in directory: URL) -> Int32? {
        let path = file(in: directory).path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return nil
        }
        let text = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.flatMap { Int32($0) } ?? -1
    }
}
