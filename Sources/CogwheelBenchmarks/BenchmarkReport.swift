import Foundation

/// Collects every run and prints medians across runs as a Markdown table.
struct BenchmarkReport {
    private var routing: [String: [RoutingBenchmark.Result]] = [:]
    private var order: [String] = []
    private var reloads: [ReloadBenchmark.Result] = []
    private var connectivity: [String: [BenchmarkRow]] = [:]
    private var connectivityOrder: [String] = []
    private var comparisons: [String: [Comparison]] = [:]
    private var comparisonOrder: [String] = []
    private var runs = 0

    /// Counts one run of the benchmark groups.
    mutating func finishRun() { runs += 1 }

    mutating func add(_ results: [RoutingBenchmark.Result]) {
        for result in results {
            if routing[result.label] == nil { order.append(result.label) }
            routing[result.label, default: []].append(result)
        }
    }

    mutating func add(_ result: ReloadBenchmark.Result) {
        reloads.append(result)
    }

    mutating func add(_ rows: [BenchmarkRow]) {
        for row in rows {
            if connectivity[row.label] == nil { connectivityOrder.append(row.label) }
            connectivity[row.label, default: []].append(row)
        }
    }

    mutating func add(_ pairs: [Comparison]) {
        for pair in pairs {
            if comparisons[pair.label] == nil { comparisonOrder.append(pair.label) }
            comparisons[pair.label, default: []].append(pair)
        }
    }

    /// Medians of each bot's figure and of the ratios taken pair by pair within each run.
    func sideBySideTable() -> String {
        guard !comparisonOrder.isEmpty else { return "" }
        var lines = ["", "| measurement (median of \(runs) runs) | Cogwheel | discord.py | Cogwheel ÷ discord.py |",
                     "| --- | ---: | ---: | ---: |"]
        for label in comparisonOrder {
            let pairs = comparisons[label]!
            let unit = pairs[0].unit
            let decimals = switch unit {
            case "CPU-s": 4
            case "ms", "MB/s", "MiB": 2
            default: 0
            }
            let value = { (figure: Double) in String(format: "%.\(decimals)f", figure) + (unit == "count" ? "" : " \(unit)") }
            let ratios = pairs.compactMap(\.ratio)
            let ratio = ratios.isEmpty ? "—" : String(format: ratios.quantile(0.5) < 0.1 ? "%.3f×" : "%.2f×", ratios.quantile(0.5))
            // A figure a bot could not produce (NaN) is left out of its median.
            let median = { (figures: [Double]) in figures.filter { !$0.isNaN }.quantile(0.5) }
            lines.append("| \(label) | \(value(median(pairs.map(\.cogwheel)))) | \(value(median(pairs.map(\.discordPy)))) | \(ratio) |")
        }
        return lines.joined(separator: "\n")
    }

    func table() -> String {
        var lines = ["", "| measurement | median of \(runs) runs |", "| --- | ---: |"]
        let baseline = routing[order.first ?? ""].map { $0.map(\.perCPUSecond).quantile(0.5) } ?? .nan
        for label in order {
            let perCPU = routing[label]!.map(\.perCPUSecond).quantile(0.5)
            let wall = routing[label]!.map(\.wallPerSecond).quantile(0.5)
            lines.append(String(format: "| %@: interactions per CPU-second | %.0f (%.2f× the scan baseline) |", label, perCPU, perCPU / baseline))
            lines.append(String(format: "| %@: interactions per wall second | %.0f |", label, wall))
        }
        if !reloads.isEmpty {
            lines.append(String(format: "| reload p50 until the new generation serves | %.3f ms |", reloads.map { $0.swapMilliseconds.quantile(0.5) }.quantile(0.5)))
            lines.append(String(format: "| reload p99 until the new generation serves | %.3f ms |", reloads.map { $0.swapMilliseconds.quantile(0.99) }.quantile(0.5)))
            lines.append(String(format: "| reload p50 including drain and shutdown of the old generation | %.3f ms |", reloads.map { $0.totalMilliseconds.quantile(0.5) }.quantile(0.5)))
            lines.append(String(format: "| RSS added per generation | %.0f KiB |", reloads.map(\.rssPerGenerationKiB).quantile(0.5)))
        }
        for label in connectivityOrder {
            let rows = connectivity[label]!
            let format = switch rows[0].unit {
            case "ms": "| %@ | %.3f %@ |"
            case "s", "×": "| %@ | %.2f %@ |"
            default: "| %@ | %.0f %@ |"
            }
            lines.append(String(format: format, label, rows.map(\.value).quantile(0.5), rows[0].unit))
        }
        return lines.joined(separator: "\n")
    }
}

/// One measured figure with its unit.
struct BenchmarkRow {
    var label: String
    var value: Double
    var unit: String
}
