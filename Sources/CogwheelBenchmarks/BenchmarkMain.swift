import ChaosSoak
import CHostSupport
import CogHost
import DiscordModels
import Foundation
import Logging
import Operations

/// `cogwheel-bench`: reload latency, routing throughput, memory per generation, gateway ingest,
/// command round trips, start-up and storage, measured against real release builds of the
/// bundled cogs and the Discord simulator on loopback, and side by side with an unmodified
/// discord.py bot. See BENCHMARKS.md.
@main
struct BenchmarkMain {
    static func main() async throws {
        chs_line_buffer_stdout()
        var options = try BenchmarkOptions(arguments: Array(CommandLine.arguments.dropFirst()))
        print(MachineDescription.current())
        if options.only.contains("chaos") {
            try await runChaosSoak(options)
            options.only.remove("chaos")
            if options.only.isEmpty { return }
        }
        // As `cogwheel run` does: every figure includes recording the Prometheus metrics.
        _ = MetricsExporter.shared
        var logger = Logger(label: "bench")
        logger.logLevel = .critical

        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: workspace) }
        let cogsDirectory = workspace.appendingPathComponent("cogs")
        for cog in ["dice", "ping", "xp"] {
            try CogInstaller.install(library: options.buildDirectory.appendingPathComponent("lib\(cog).so"), as: cog,
                                     into: cogsDirectory)
        }
        let configuration = HostConfiguration(dataDirectory: workspace, cogsDirectory: cogsDirectory, autoload: ["dice", "ping", "xp"])
        let (host, _) = try await CogHost.start(configuration: configuration, autoDeferAfter: nil, logger: logger)

        var report = BenchmarkReport()
        for run in 1...options.runs {
            print("run \(run)/\(options.runs)…")
            if options.includes("routing") {
                report.add(try await RoutingBenchmark(host: host, interactions: options.interactions).run())
            }
            if options.includes("reload") {
                report.add(try await ReloadBenchmark(host: host, buildDirectory: options.buildDirectory,
                                                     cogsDirectory: cogsDirectory, reloads: options.reloads).run())
            }
            if options.includes("connectivity") {
                report.add(try await ConnectivityBenchmark(host: host, workspace: workspace, events: options.events,
                                                           roundTrips: options.roundTrips, logger: logger).run())
            }
            if options.includes("versus") {
                report.add(try await SideBySideBenchmark(host: host, workspace: workspace, buildDirectory: options.buildDirectory,
                                                         events: options.events, roundTrips: options.roundTrips,
                                                         reloads: options.reloads, guilds: options.guilds, logger: logger).run())
            }
            if options.includes("events") {
                report.add(try await EventsBenchmark(buildDirectory: options.buildDirectory, workspace: workspace,
                                                     events: options.events, guilds: options.guilds, logger: logger).run())
            }
            if options.includes("actions") {
                report.add(try await ActionsBenchmark(buildDirectory: options.buildDirectory, workspace: workspace,
                                                      roundTrips: options.roundTrips, logger: logger).run())
            }
            if options.includes("storage") {
                report.add(try await StorageBenchmark(host: host, operations: options.storageOperations,
                                                      backupMegabytes: options.backupMegabytes, logger: logger).run())
            }
            report.finishRun()
        }
        await host.shutdown()
        print(report.table())
        print(report.sideBySideTable())
    }
}

/// Command-line options: `--runs N --interactions N --reloads N --events N --round-trips N
/// --guilds N --storage-operations N --backup-mb N --build-dir PATH
/// --only routing,reload,connectivity,versus,events,actions,storage`.
/// The chaos soak against the release `cogwheel` (only with `--only chaos`: it takes minutes).
private func runChaosSoak(_ options: BenchmarkOptions) async throws {
    let cogs = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-chaos-cogs-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: cogs) }
    try CogInstaller.install(library: options.buildDirectory.appendingPathComponent("libping.so"), as: "ping", into: cogs)
    var settings = ChaosSoak.Settings(executable: options.buildDirectory.appendingPathComponent("cogwheel"), cogsDirectory: cogs,
                                      duration: .seconds(options.chaosSeconds))
    settings.restarts = max(1, options.chaosSeconds / 60)
    print("chaos soak: \(options.chaosSeconds) s, \(Int(settings.commandsPerSecond)) commands/s, a fault every ~1.5 s, "
        + "\(settings.restarts) SIGTERM restarts…")
    let report = try await ChaosSoak(settings: settings).run()
    print(report.summary)
    guard report.passed else { throw BenchmarkError("the chaos soak failed:\n\(report.outputs.suffix(20_000))") }
}

struct BenchmarkOptions {
    var runs = 3
    var interactions = 200_000
    var reloads = 100
    var events = 50_000
    var roundTrips = 5_000
    var guilds = 1_000
    var storageOperations = 20_000
    var backupMegabytes = 1_024
    var buildDirectory = URL(fileURLWithPath: ".build/release")
    /// How long `--only chaos` soaks.
    var chaosSeconds = 600
    /// Groups to run (routing, reload, connectivity, versus, events, actions, storage); all when empty. `chaos`
    /// (the soak, minutes long) runs only when named.
    var only: Set<String> = []

    func includes(_ group: String) -> Bool { only.isEmpty || only.contains(group) }

    init(arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { throw BenchmarkError("\(flag) needs a value") }
            switch flag {
            case "--runs": runs = try Self.count(flag, value)
            case "--interactions": interactions = try Self.count(flag, value)
            case "--reloads": reloads = try Self.count(flag, value)
            case "--events": events = try Self.count(flag, value)
            case "--round-trips": roundTrips = try Self.count(flag, value)
            case "--guilds": guilds = try Self.count(flag, value)
            case "--storage-operations": storageOperations = try Self.count(flag, value)
            case "--backup-mb": backupMegabytes = try Self.count(flag, value)
            case "--build-dir": buildDirectory = URL(fileURLWithPath: value)
            case "--chaos-seconds": chaosSeconds = try Self.count(flag, value)
            case "--only": only = Set(value.split(separator: ",").map(String.init))
            default: throw BenchmarkError("unknown option \(flag); use --runs, --interactions, --reloads, --events, --round-trips, --guilds, --storage-operations, --backup-mb, --build-dir, --only, --chaos-seconds")
            }
        }
    }

    private static func count(_ flag: String, _ value: String) throws -> Int {
        guard let count = Int(value), count > 0 else { throw BenchmarkError("\(flag) needs a positive number, not '\(value)'") }
        return count
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
