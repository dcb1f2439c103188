import CogHost
import Foundation
import Logging
import ServiceLifecycle

/// Keeps the outside world told how the bot is: writes the heartbeat file, and under systemd
/// sends `READY=1` when the bot first becomes ready, `WATCHDOG=1` on every beat while the
/// process's loop runs, and a `STATUS=` line for `systemctl status`.
public struct Watchdog: Service {
    let host: CogHost
    let heartbeat: HeartbeatFile?
    let systemd: SystemdNotifier
    let interval: Duration
    let logger: Logger

    /// - Parameter interval: Seconds between beats; shortened to systemd's watchdog period when
    ///   that is shorter.
    public init(host: CogHost, heartbeat: HeartbeatFile?, systemd: SystemdNotifier = SystemdNotifier(), interval: Duration,
                logger: Logger) {
        self.host = host
        self.heartbeat = heartbeat
        self.systemd = systemd
        self.interval = min(interval, systemd.watchdogInterval ?? interval)
        self.logger = logger
    }

    /// Beats until a graceful shutdown or cancellation (``ShutdownAnnouncer`` tells systemd).
    public func run() async throws {
        var announcedReady = false
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let health = await host.health()
            if let heartbeat {
                do {
                    try heartbeat.write(health)
                } catch {
                    logger.warning("could not write the heartbeat file", metadata: ["file": "\(heartbeat.file.path)", "error": "\(error)"])
                }
            }
            if systemd.isActive {
                var message = "WATCHDOG=1\nSTATUS=" + (health.isReady
                    ? "ready, \(health.cogs.filter { $0.generation != nil }.count) cogs, heartbeat "
                        + (health.connection?.latencyMilliseconds.map { String(format: "%.0f ms", $0) } ?? "–")
                    : "not ready: " + health.notReadyBecause.joined(separator: "; "))
                if health.isReady && !announcedReady {
                    message = "READY=1\n" + message
                    announcedReady = true
                }
                systemd.notify(message)
            }
            await sleepUnlessShuttingDown(for: interval)
        }
    }
}
