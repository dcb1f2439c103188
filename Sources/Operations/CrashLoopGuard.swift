import Foundation

/// Slows a bot that keeps crashing: each crash is recorded in `<data dir>/crash-history.json`,
/// and once `threshold` crashes fall within `window`, the next connect waits, doubling with each
/// further crash up to `maxDelay`.
///
/// Reconnecting at full speed after every crash would hammer Discord's identify limit (1,000
/// a day) and flood the logs; waiting gives the quarantine of the cog in flight (done by the
/// host at start-up) and the operator time to act. The history outlives the process because a
/// restart is exactly what a supervisor does after a crash.
public struct CrashLoopGuard: Sendable, Equatable {
    /// What the guard decided for this start.
    public struct Decision: Sendable, Equatable {
        /// Crashes within the window, this one included.
        public let recentCrashes: Int
        /// How long to wait before connecting; zero below the threshold.
        public let delay: Duration

        public var isCrashLoop: Bool { delay > .zero }

        public init(recentCrashes: Int, delay: Duration) {
            self.recentCrashes = recentCrashes
            self.delay = delay
        }
    }

    public let file: URL
    public var window: Duration
    public var threshold: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(file: URL, window: Duration = .seconds(600), threshold: Int = 3, baseDelay: Duration = .seconds(10),
                maxDelay: Duration = .seconds(120)) {
        self.file = file
        self.window = window
        self.threshold = threshold
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Records a crash that ended the previous run and decides how long this run waits.
    /// Crashes older than the window are forgotten.
    /// - Throws: When the history cannot be written (the data directory is read-only or full).
    public func recordCrash(at now: Date = Date()) throws -> Decision {
        let windowSeconds = Double(window.components.seconds)
        var crashes = readHistory().filter { now.timeIntervalSince($0) < windowSeconds && $0 <= now }
        crashes.append(now)
        try writeHistory(crashes)
        let beyondThreshold = crashes.count - threshold
        guard beyondThreshold >= 0 else { return Decision(recentCrashes: crashes.count, delay: .zero) }
        let doubled = baseDelay * (1 << min(beyondThreshold, 20))
        return Decision(recentCrashes: crashes.count, delay: min(doubled, maxDelay))
    }

    /// An unreadable or malformed history counts as none: the guard must never stop a start.
    private func readHistory() -> [Date] {
        guard let data = try? Data(contentsOf: file),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let stamps = object["crashes"] as? [Double] else { return [] }
        return stamps.map(Date.init(timeIntervalSince1970:))
    }

    private func writeHistory(_ crashes: [Date]) throws {
        let data = try JSONSerialization.data(withJSONObject: ["crashes": crashes.map(\.timeIntervalSince1970)])
        try data.write(to: file, options: .atomic)
    }
}
