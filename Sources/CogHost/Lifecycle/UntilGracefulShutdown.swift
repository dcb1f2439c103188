import ServiceLifecycle

/// Runs periodic `work` until the service group shuts down gracefully or the task is
/// cancelled; either way it returns normally, because that is how periodic work is meant to end.
///
/// ```swift
/// func run() async throws {
///     try await untilGracefulShutdown {
///         while true { try await Task.sleep(for: .seconds(60)); flush() }
///     }
///     flush()     // the last flush, after the loop stopped
/// }
/// ```
///
/// Errors other than the cancellation that ends the loop are rethrown.
public func untilGracefulShutdown(_ work: @escaping @Sendable () async throws -> Void) async throws {
    do {
        try await cancelWhenGracefulShutdown(work)
    } catch is CancellationError {
        return
    }
}

/// Sleeps for `duration`, returning early when the service group begins a graceful shutdown
/// or the task is cancelled; the caller checks which.
public func sleepUnlessShuttingDown(for duration: Duration) async {
    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
}

/// Waits for the service group's graceful shutdown, then does `step`: a service's part of the
/// shutdown (drain the cogs, say "shutting down", close the gateway). When the task is
/// cancelled instead, `step` is skipped: whoever cancelled tears down.
public func whenShuttingDownGracefully(_ step: () async throws -> Void) async rethrows {
    do {
        try await gracefulShutdown()
    } catch {
        return
    }
    try await step()
}
