import ServiceLifecycle

/// The cogs as a step of the host's shutdown: nothing to do while the host serves; on a
/// graceful shutdown every generation drains its calls in flight and shuts down. It stops
/// after the job scheduler and before the service-call queue, so a cog finishing its last
/// command can still send a message or read its jobs.
struct CogDrain: Service {
    let supervisor: CogSupervisor

    /// Cancelled rather than shut down, it leaves the cogs to ``CogHost/shutdown()``.
    func run() async throws {
        await whenShuttingDownGracefully { await supervisor.shutdownAll() }
    }
}
