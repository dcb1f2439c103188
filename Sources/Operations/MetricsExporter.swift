import CogHost
import Foundation
import Metrics
import Prometheus

/// The Prometheus exposition served on `/metrics`.
///
/// Counters and timers are recorded where things happen, through swift-metrics (commands in
/// the router, reloads in the supervisor, events and heartbeats in the gateway, requests and
/// 429s in the REST client). State that is cheaper to read than to track — memory, file
/// descriptors, database and WAL size, backup age, generations, readiness — is read from
/// ``HostHealth`` when Prometheus scrapes.
public final class MetricsExporter: Sendable {
    let registry: PrometheusCollectorRegistry

    /// The exporter for this process. swift-metrics has one backend per process, so the first
    /// use bootstraps it; later uses share it.
    public static let shared: MetricsExporter = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100),
            .milliseconds(500), .milliseconds(2500), .seconds(10),
        ]
        MetricsSystem.bootstrap(factory)
        return MetricsExporter(registry: registry)
    }()

    private init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// The text exposition format (version 0.0.4), with the scrape-time gauges set from `health`.
    public func exposition(_ health: HostHealth) -> [UInt8] {
        gauge("cogwheel_up", "1 while the process serves its operations endpoints").set(to: 1.0)
        gauge("cogwheel_ready", "1 when connected, the database writable and autoloaded cogs serving").set(to: health.isReady ? 1.0 : 0.0)
        gauge("cogwheel_uptime_seconds", "Seconds since the host started").set(to: health.uptimeSeconds)
        gauge("process_resident_memory_bytes", "Resident set size").set(to: Double(health.residentBytes))
        gauge("process_open_fds", "Open file descriptors").set(to: Double(ProcessStatistics.openFileDescriptors()))
        gauge("cogwheel_database_bytes", "Size of the SQLite database file").set(to: Double(health.databaseBytes))
        gauge("cogwheel_database_wal_bytes", "Size of the SQLite write-ahead log").set(to: Double(health.walBytes))
        gauge("cogwheel_backup_age_seconds", "Seconds since the newest backup; -1 when there is none")
            .set(to: health.lastBackupAgeSeconds ?? -1)
        gauge("cogwheel_cog_images_mapped", "Cog images mapped into the process (never unmapped)").set(to: Double(health.imagesMapped))
        gauge("cogwheel_cache_bytes", "Estimated memory of the cache of Discord (guilds, channels, roles, members, messages)")
            .set(to: Double(health.cache.estimatedBytes))
        gauge("cogwheel_cache_guilds", "Guilds in the cache").set(to: Double(health.cache.guilds))
        gauge("cogwheel_cache_members", "Members in the cache").set(to: Double(health.cache.members))
        gauge("cogwheel_restart_recommended", "1 when the reload budget is spent and a restart is recommended")
            .set(to: health.restartRecommended ? 1.0 : 0.0)
        for cog in health.cogs {
            gauge("cogwheel_cog_generation", "The serving generation of each cog; 0 when not loaded", labels: [("cog", cog.name)])
                .set(to: Double(cog.generation ?? 0))
        }
        if let connection = health.connection {
            for shard in connection.shards {
                gauge("cogwheel_gateway_last_event_age_seconds", "Seconds since the shard last received anything",
                      labels: [("shard", "\(shard.id)")])
                    .set(to: shard.lastEventAgeSeconds ?? -1)
                gauge("cogwheel_gateway_ready", "1 when the shard is READY", labels: [("shard", "\(shard.id)")])
                    .set(to: shard.state == "ready" ? 1.0 : 0.0)
            }
        }
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }

    private func gauge(_ name: String, _ help: String, labels: [(String, String)] = []) -> Prometheus.Gauge {
        // The whole name is `name`: no unit suffix is appended.
        registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
    }
}

/// Figures about the process that `/proc` gives.
enum ProcessStatistics {
    static func openFileDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }
}
