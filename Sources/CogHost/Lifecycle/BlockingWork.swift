import Foundation

/// Runs long blocking work (a backup, a VACUUM) on its own thread, so the few threads of the
/// concurrency pool keep serving commands meanwhile.
///
/// ```swift
/// let made = try await BlockingWork.run("cogwheel-backup") { try backups.create(from: database) }
/// ```
public enum BlockingWork {
    public static func run<T: Sendable>(_ name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.name = name
            thread.start()
        }
    }
}
