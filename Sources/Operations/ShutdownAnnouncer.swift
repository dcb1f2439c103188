import CogHost
import ServiceLifecycle

/// The first thing a graceful shutdown does: the host reports itself draining, so `/ready`
/// answers 503 "shutting down" (a load balancer stops sending work), and systemd hears
/// `STOPPING=1`. It is the last service of the group, so the first to be told to stop,
/// before the gateway, the cogs or a crash-loop wait notice anything.
public struct ShutdownAnnouncer: Service {
    let host: CogHost
    let systemd: SystemdNotifier

    public init(host: CogHost, systemd: SystemdNotifier = SystemdNotifier()) {
        self.host = host
        self.systemd = systemd
    }

    public func run() async throws {
        await whenShuttingDownGracefully {
            host.beginDraining()
            if systemd.isActive { systemd.notify("STOPPING=1") }
        }
    }
}
