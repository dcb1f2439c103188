import Metrics

/// The command metrics every interaction records through swift-metrics (exported by the
/// operations server as `cogwheel_commands_total` and `cogwheel_command_duration_seconds`).
enum CommandMetrics {
    private struct Key: Hashable, Sendable {
        var cog: String
        var command: String
        var outcome: String
    }

    private static let counters = MetricHandles<Key, Counter> { key in
        Counter(label: "cogwheel_commands_total", dimensions: [("cog", key.cog), ("command", key.command), ("outcome", key.outcome)])
    }

    private static let timers = MetricHandles<Key, Timer> { key in
        Timer(label: "cogwheel_command_duration_seconds", dimensions: [("cog", key.cog), ("command", key.command)])
    }

    private static let reloads = MetricHandles<Key, Counter> { key in
        Counter(label: "cogwheel_reloads_total", dimensions: [("cog", key.cog), ("result", key.outcome)])
    }

    static func record(_ outcome: InteractionOutcome, command: String, duration: Duration) {
        let cog = outcome.cog
        counters[Key(cog: cog, command: command, outcome: outcome.label)].increment()
        timers[Key(cog: cog, command: command, outcome: "")]
            .recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// A reload's result: `ok` or `failed`.
    static func recordReload(cog: String, succeeded: Bool) {
        reloads[Key(cog: cog, command: "", outcome: succeeded ? "ok" : "failed")].increment()
    }
}
