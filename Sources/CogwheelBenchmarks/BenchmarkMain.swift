import CHostSupport
import CogHost
import DiscordModels
import Foundation
import Logging

/// `cogwheel-bench`: reload latency, routing throughput, memory per generation, gateway ingest,
/// command round trips and start-up, measured in one process against real release builds of
/// the bundled cogs and the Discord simulator on loopback. See BENCHMARKS.md.
@main
struct BenchmarkMain {
    static func main() async throws {
        chs_line_buffer_stdout()
        let options = try BenchmarkOptions(arguments: Array(CommandLine.arguments.dropFirst()))
        print(MachineDescription.current())
        var logger = Logger(label: "bench")
        logger.logLevel = .critical

        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: workspace) }
        let cogsDirectory = workspace.appendingPathComponent("cogs")
        for cog in ["dice", "ping"] {
            try CogInstaller.install(library: options.buildDirectory.appendingPathComponent("lib\(cog).so"), as: cog,
                                     into: cogsDirectory)
        }
        let configuration = HostConfiguration(dataDirectory: workspace, cogsDirectory: cogsDirectory, autoload: ["dice", "ping"])
        let (host, _) = try await CogHost.start(configuration: configuration, autoDeferAfter: nil, logger: logger)

        var report = BenchmarkReport()
        for run in 1...options.runs {
            print("run \(run)/\(options.runs)…")
            let routing = try await RoutingBenchmark(host: host, interactions: options.interactions).run()
            report.add(routing)
            let reload = try await ReloadBenchmark(host: host, buildDirectory: options.buildDirectory,
                                                   cogsDirectory: cogsDirectory, reloads: options.reloads).run()
            report.add(reload)
            report.add(try await ConnectivityBenchmark(host: host, workspace: workspace, events: options.events,
                                                       roundTrips: options.roundTrips, logger: logger).run())
        }
        await host.shutdown()
        print(report.table())
    }
}

/// Command-line options: `--runs N --interactions N --reloads N --events N --round-trips N --build-dir PATH`.
struct BenchmarkOptions {
    var runs = 3
    var interactions = 200_000
    var reloads = 100
    var events = 50_000
    var roundTrips = 5_000
    var buildDirectory = URL(fileURLWithPath: ".build/release")

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
            case "--build-dir": buildDirectory = URL(fileURLWithPath: value)
            default: throw BenchmarkError("unknown option \(flag); use --runs, --interactions, --reloads, --events, --round-trips, --build-dir")
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
