import ServiceLifecycle

/// The cogs as a step of the host's shutdown: nothing to do while the host serves; on a
/// graceful shutdown every generation drains its calls in flight and shuts down. It stops
/// after the job scheduler and before the service-call queue, so a cog finishing its last
/// command can still send a message or read its jobs.
struct CogDrain: Service {
    let supervisor: CogSupervisor

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            // Cancelled rather than shut down: whoever cancelled calls ``CogHost/shutdown()``.
            return
        }
        await supervisor.shutdownAll()
    }
}
