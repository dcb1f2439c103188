import Metrics

/// The command metrics every interaction records through swift-metrics (exported by the
/// operations server as `cogwheel_commands_total` and `cogwheel_command_duration_seconds`).
enum CommandMetrics {
    private struct Key: Hashable, Sendable {
        var cog: String
        var command: String
        var outcome: String
    }

    /// The counter and the timer of one cog, command and outcome, found with one lookup (the
    /// timer has no outcome dimension: every outcome's handle records into the same histogram).
    private struct Handles: Sendable {
        let count: Counter
        let duration: Timer
    }

    private static let commands = MetricHandles<Key, Handles> { key in
        Handles(
            count: Counter(label: "cogwheel_commands_total",
                           dimensions: [("cog", key.cog), ("command", key.command), ("outcome", key.outcome)]),
            duration: Timer(label: "cogwheel_command_duration_seconds", dimensions: [("cog", key.cog), ("command", key.command)])
        )
    }

    private static let reloads = MetricHandles<Key, Counter> { key in
        Counter(label: "cogwheel_reloads_total", dimensions: [("cog", key.cog), ("result", key.outcome)])
    }

    static func record(_ outcome: InteractionOutcome, command: String, duration: Duration) {
        let handles = commands[Key(cog: outcome.cog, command: command, outcome: outcome.label)]
        handles.count.increment()
        handles.duration.recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// A reload's result: `ok` or `failed`.
    static func recordReload(cog: String, succeeded: Bool) {
        reloads[Key(cog: cog, command: "", outcome: succeeded ? "ok" : "failed")].increment()
    }
}
