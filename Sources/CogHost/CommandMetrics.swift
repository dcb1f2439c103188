import Metrics

/// The command metrics every interaction records through swift-metrics (exported by the
/// operations server as `cogwheel_commands_total` and `cogwheel_command_duration_seconds`).
enum CommandMetrics {
    static func record(_ outcome: InteractionOutcome, command: String, duration: Duration) {
        let cog = outcome.cog
        Counter(label: "cogwheel_commands_total", dimensions: [("cog", cog), ("command", command), ("outcome", outcome.label)])
            .increment()
        Timer(label: "cogwheel_command_duration_seconds", dimensions: [("cog", cog), ("command", command)])
            .recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// A reload's result: `ok`, or the kind of refusal.
    static func recordReload(cog: String, succeeded: Bool) {
        Counter(label: "cogwheel_reloads_total", dimensions: [("cog", cog), ("result", succeeded ? "ok" : "failed")]).increment()
    }
}
