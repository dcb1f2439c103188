import DiscordModels
import Foundation

/// What the players of a soak saw.
public struct ChaosReport: Sendable {
    var commands: [ChaosPlayers.Result] = []
    /// Faults injected, by name.
    public var faults: [String: Int] = [:]
    /// The exit status of each SIGTERM'd process (`nil`: it had to be killed).
    public var restarts: [Int32?] = []
    public var duplicateCallbacks = 0
    public var resumes = 0
    public var identifies = 0
    /// The bot processes' output, for a failure's message.
    public var outputs = ""

    /// Commands sent.
    public var sent: Int { commands.count }
    /// Sent while the bot had no session at all (after op 9 with `d: false`, before the new
    /// IDENTIFY): Discord delivers those to nobody, so no bot can answer them.
    public var undeliverable: Int { commands.filter { !$0.delivered && $0.answers == 0 }.count }
    /// Delivered and never answered.
    public var lost: Int { commands.filter { $0.delivered && $0.answers == 0 }.count }
    /// Answered more than once (also counted by Discord's 40060 refusals).
    public var answeredTwice: Int { commands.filter { $0.answers > 1 }.count + duplicateCallbacks }
    /// Every restart exited with status 0.
    public var cleanRestarts: Bool { restarts.allSatisfy { $0 == 0 } }

    public var passed: Bool { lost == 0 && answeredTwice == 0 && cleanRestarts && sent > 0 }

    /// The answered commands' latency at quantile `q`, in milliseconds.
    public func latency(_ q: Double) -> Double? {
        let sorted = commands.compactMap(\.latency).map(\.milliseconds).sorted()
        guard !sorted.isEmpty else { return nil }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * q))]
    }

    public var summary: String {
        let faultList = faults.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        return """
            chaos soak: \(sent) commands, \(sent - lost - undeliverable) answered exactly once, \(lost) lost, \
            \(answeredTwice) answered twice, \(undeliverable) sent while the bot had no session (Discord delivers those to nobody)
              latency p50 \(latency(0.5).map { String(format: "%.1f", $0) } ?? "–") ms, \
            p99 \(latency(0.99).map { String(format: "%.1f", $0) } ?? "–") ms, max \(latency(1).map { String(format: "%.1f", $0) } ?? "–") ms
              SIGTERM restarts: \(restarts.map { $0.map(String.init) ?? "killed" }.joined(separator: ", ")) (exit statuses); \
            \(resumes) resumes, \(identifies) identifies
              faults: \(faultList)
            """
    }
}
