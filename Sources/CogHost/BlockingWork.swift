import Foundation

/// Runs long blocking work (a backup, a VACUUM) on its own thread, so the few threads of the
/// concurrency pool keep serving commands meanwhile.
enum BlockingWork {
    static func run<T: Sendable>(_ name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.name = name
            thread.start()
        }
    }
}
