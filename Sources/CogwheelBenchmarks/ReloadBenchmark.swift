import DiscordModels
import CogHost
import Foundation

/// Reload latency (copy + dlopen + handshake + init + swap) of distinct release builds of
/// the dice cog, and resident memory added per generation.
struct ReloadBenchmark {
    let host: CogHost
    let buildDirectory: URL
    let cogsDirectory: URL
    let reloads: Int

    struct Result {
        var swapMilliseconds: [Double]
        var totalMilliseconds: [Double]
        var rssPerGenerationKiB: Double
    }

    func run() async throws -> Result {
        var swap: [Double] = []
        var total: [Double] = []
        let before = ProcessMemory.residentBytes()
        for _ in 0..<reloads {
            // A unique trailer makes each install a distinct build, as a rebuild would be.
            try CogInstaller.install(library: buildDirectory.appendingPathComponent("libdice.so"), as: "dice",
                                     into: cogsDirectory, trailer: Array(UUID().uuidString.utf8))
            let report = try await host.supervisor.reload("dice")
            swap.append(report.timeToSwap.milliseconds)
            total.append(report.totalTime.milliseconds)
        }
        let growth = Double(ProcessMemory.residentBytes() - before) / 1024 / Double(reloads)
        return Result(swapMilliseconds: swap, totalMilliseconds: total, rssPerGenerationKiB: growth)
    }
}
