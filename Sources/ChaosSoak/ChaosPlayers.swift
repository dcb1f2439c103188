import DiscordModels
import DiscordSimulator
import Foundation
import Synchronization

/// The soak's players: each command is sent as INTERACTION_CREATE and timed until the bot's
/// answer reaches the simulated Discord.
final class ChaosPlayers: Sendable {
    struct Result: Sendable {
        /// Whether Discord delivered it to a session of the bot (it does not while the bot has none).
        var delivered: Bool
        /// Initial responses Discord recorded: exactly 1 when all is well.
        var answers: Int
        var latency: Duration?
    }

    private let discord: DiscordSimulator
    private let answerTimeout: Duration
    private let outcomes = Mutex<[Result]>([])

    init(discord: DiscordSimulator, answerTimeout: Duration) {
        self.discord = discord
        self.answerTimeout = answerTimeout
    }

    /// Sends `line` as player `number` and waits for the answer.
    func play(_ line: String, as number: Int) async throws {
        let player = InteractionFactory.Invoker(id: 800_000_000_000_100_000 + UInt64(number), username: "chaos\(number)")
        let sent = ContinuousClock.now
        let id = try discord.sendCommand(line, as: player)
        // Discord knows at once whether any session of the bot got it; nobody answers one that none did.
        let answered = discord.wasDelivered(id) ? await discord.waitForAnswers(to: id, timeout: answerTimeout) : false
        let latency = answered ? ContinuousClock.now - sent : nil
        let callbacks = discord.answers(to: id).filter { if case .callback = $0 { true } else { false } }.count
        let result = Result(delivered: discord.wasDelivered(id), answers: callbacks, latency: latency)
        outcomes.withLock { $0.append(result) }
    }

    func results() -> [Result] {
        outcomes.withLock { $0 }
    }
}
