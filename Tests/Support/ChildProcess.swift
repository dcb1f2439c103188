import Foundation

/// Stops processes a test started, without blocking a concurrency thread for long.
public enum ChildProcess {
    /// Sends SIGTERM, waits up to `grace` for the process to exit, then sends SIGKILL.
    public static func stop(_ process: Process, grace: TimeInterval = 3) {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(grace)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { usleep(20_000) }
    }
}
