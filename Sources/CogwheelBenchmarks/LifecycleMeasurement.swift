import DiscordModels
import DiscordSimulator
import Foundation
import Synchronization

/// What one bot process does over a working life, in order: idle memory after READY, memory
/// after many guilds arrive, reloads of the dice cog while players keep rolling, then memory
/// growth over more reloads.
struct LifecycleMeasurement {
    let bot: ChildBot
    let discord: DiscordSimulator
    let guilds: Int
    let reloads: Int
    /// Makes the next reload load a new build (Cogwheel: installs one; discord.py re-imports).
    let prepareReload: () throws -> Void

    static let admin = InteractionFactory.Invoker(id: 800_000_000_000_000_001, username: "admin")
    static let loadPerSecond = 1_000

    struct Figures {
        var idleBytes = 0
        var afterGuildsBytes = 0
        var reloadP50 = 0.0
        var reloadP99 = 0.0
        /// Reloads under load whose answer did not come within ``reloadTimeout``.
        var reloadsUnanswered = 0
        var sent = 0
        var answered = 0
        var errors = 0
        /// `nil` when the bot stopped answering reloads.
        var reloadGrowthBytes: Int? = 0
    }

    func run() async throws -> Figures {
        var figures = Figures()
        try await bot.waitUntilAnswering(discord)
        try await Task.sleep(for: .seconds(1))
        figures.idleBytes = bot.residentBytes
        for guild in try Self.distinctGuilds(guilds) {
            discord.dispatch("GUILD_CREATE", data: guild)
        }
        // Frames arrive in order, so the answer to this /ping comes after every guild was read.
        try await bot.waitUntilAnswering(discord)
        try await Task.sleep(for: .seconds(1))
        figures.afterGuildsBytes = bot.residentBytes

        let stop = StopFlag()
        let (latencies, sent) = try await withThrowingTaskGroup(of: [Snowflake].self) { group -> ([Double?], [Snowflake]) in
            group.addTask { [discord] in try await Self.steadyLoad(discord, until: stop) }
            var latencies: [Double?] = []
            do {
                // A bot that falls behind the load would take reloads × timeout; past the budget the
                // remaining reloads count as unanswered.
                let budgetEnds = ContinuousClock.now + Self.reloadPhaseBudget
                for _ in 0..<reloads {
                    latencies.append(ContinuousClock.now < budgetEnds ? try await reload() : nil)
                }
            } catch {
                stop.set()
                group.cancelAll()
                throw error
            }
            stop.set()
            return (latencies, try await group.next() ?? [])
        }
        figures.reloadP50 = latencies.compactMap { $0 }.quantile(0.5)
        figures.reloadP99 = latencies.compactMap { $0 }.quantile(0.99)
        figures.reloadsUnanswered = latencies.count { $0 == nil }
        figures.sent = sent.count
        let deadline = ContinuousClock.now + .seconds(30)
        for id in sent {
            guard await discord.waitForAnswers(to: id, timeout: max(.zero, deadline - ContinuousClock.now)) else { continue }
            figures.answered += 1
            let text = discord.answers(to: id).first?.message.map { String(decoding: $0, as: UTF8.self) } ?? ""
            if !text.contains("Heads") && !text.contains("Tails") { figures.errors += 1 }
        }
        print("  \(bot.name): \(reloads) reloads under load, p50 \(String(format: "%.2f", figures.reloadP50)) ms; "
            + "\(figures.reloadsUnanswered) reloads unanswered; \(figures.answered) of \(figures.sent) interactions answered, "
            + "\(figures.errors) with an error")

        let before = bot.residentBytes
        for _ in 0..<(2 * reloads) {
            guard try await reload() != nil else {
                print("  \(bot.name) stopped answering reloads after the load; no growth figure. Its last output:\n\(bot.recentOutput)")
                figures.reloadGrowthBytes = nil
                return figures
            }
        }
        try await Task.sleep(for: .seconds(1))
        figures.reloadGrowthBytes = bot.residentBytes - before
        print("  \(bot.name): RSS \(figures.idleBytes / 1_048_576) MiB idle, \(figures.afterGuildsBytes / 1_048_576) MiB after "
            + "\(guilds) guilds, +\((figures.reloadGrowthBytes ?? 0) / 1024) KiB over \(2 * reloads) reloads")
        return figures
    }

    /// How long the admin waits for a reload's answer before counting it unanswered.
    static let reloadTimeout = Duration.seconds(10)
    /// The longest the reloads under load may take in all.
    static let reloadPhaseBudget = Duration.seconds(60)

    /// `/reload dice` as the admin, until its answer: the latency in milliseconds, or `nil`
    /// when no answer came within ``reloadTimeout``.
    private func reload() async throws -> Double? {
        try prepareReload()
        let started = ContinuousClock.now
        let answers: [RecordedAnswer]
        do {
            answers = try await discord.run("/reload dice", as: Self.admin, timeout: Self.reloadTimeout)
        } catch SimulatorError.noAnswer {
            return nil
        }
        let text = answers.last?.message.map { String(decoding: $0, as: UTF8.self) } ?? ""
        guard text.contains("Reloaded") else { throw BenchmarkError("\(bot.name) did not reload dice: \(text)") }
        return (ContinuousClock.now - started).milliseconds
    }

    /// `/coin` from rotating players at ``loadPerSecond`` until `stop` is set; the ids sent.
    private static func steadyLoad(_ discord: DiscordSimulator, until stop: StopFlag) async throws -> [Snowflake] {
        var sent: [Snowflake] = []
        let started = ContinuousClock.now
        while !stop.isSet {
            let due = Int((ContinuousClock.now - started).milliseconds) * Self.loadPerSecond / 1000
            while sent.count < due {
                let player = UInt64(sent.count % 5_000)
                sent.append(try discord.sendCommand("/coin", as: .init(id: 810_000_000_000_000_000 + player, username: "player\(player)")))
            }
            try await Task.sleep(for: .milliseconds(1))
        }
        return sent
    }

    static let smallGuildFixture = ConnectivityBenchmark.largeGuildFixture.deletingLastPathComponent()
        .appendingPathComponent("guild_create_small__d4j.json")

    /// The small GUILD_CREATE fixture's guild, `count` times under distinct ids.
    private static func distinctGuilds(_ count: Int) throws -> [[UInt8]] {
        guard let frame = try JSONSerialization.jsonObject(with: Data(contentsOf: smallGuildFixture)) as? [String: Any],
              var guild = frame["d"] as? [String: Any]
        else { throw BenchmarkError("\(smallGuildFixture.path) is not a GUILD_CREATE frame") }
        return try (0..<count).map { index in
            guild["id"] = "\(1_100_000_000_000_000_000 + index)"
            return Array(try JSONSerialization.data(withJSONObject: guild))
        }
    }
}

/// Tells a load task to stop.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    func set() { flag.store(true, ordering: .releasing) }

    var isSet: Bool { flag.load(ordering: .acquiring) }
}
