import CogHost
import Logging
import ServiceLifecycle
import Synchronization

extension DiscordBot {
    /// Why ``withRunning(configuration:host:logger:readyTimeout:started:connected:_:)`` gave up.
    public struct NotReady: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts a host and a bot connected with `configuration`, runs `body` once the gateway is
    /// READY, then shuts both down gracefully (the session saved, the cogs drained): the demo,
    /// the console, tests and benchmarks run a whole bot this way without signals.
    ///
    /// ```swift
    /// let answers = try await DiscordBot.withRunning(configuration: bot, host: host, logger: logger) { bot in
    ///     try await discord.run("/roll 2d6", as: player)
    /// }
    /// ```
    ///
    /// - Throws: ``NotReady`` when the gateway is not READY within `readyTimeout`; the bot's or
    ///   `body`'s error otherwise.
    public static func withRunning<Value: Sendable>(
        configuration: BotConfiguration, host hostConfiguration: HostConfiguration, logger: Logger,
        readyTimeout: Duration = .seconds(10), started: (CogHost.StartupReport) -> Void = { _ in },
        connected: @escaping @Sendable (Connection) async -> Void = { _ in },
        _ body: @Sendable (DiscordBot) async throws -> Value
    ) async throws -> Value {
        let link = DiscordLink(configuration: configuration, logger: logger)
        let (host, startup) = try await CogHost.start(configuration: hostConfiguration, links: link.hostLinks(), logger: logger)
        started(startup)
        let bot = DiscordBot(link: link, host: host, logger: logger, connected: connected)
        let group = ServiceGroup(services: [RESTClientService(rest: link.rest), host, bot], logger: logger)
        let ended = GroupEnd()
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                do {
                    try await group.run()
                    ended.record(.success(()))
                } catch {
                    ended.record(.failure(error))
                }
            }
            let outcome: Result<Value, any Error>
            do {
                // A test helper, so a short poll: the group ending first (a refused token, say) is the answer.
                let started = ContinuousClock.now
                while bot.shardStatuses.first?.state != .ready {
                    if case .failure(let error) = ended.value { throw error }
                    guard ended.value == nil, ContinuousClock.now - started < readyTimeout else {
                        throw NotReady(description: "the gateway was not READY within \(readyTimeout)")
                    }
                    try await Task.sleep(for: .milliseconds(1))
                }
                outcome = .success(try await body(bot))
            } catch {
                outcome = .failure(error)
            }
            // However `body` ended, the bot and the host stop gracefully before this returns.
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            if case .failure(let error) = ended.value { throw error }
            return try outcome.get()
        }
    }
}

/// How the service group of ``DiscordBot/withRunning(configuration:host:logger:readyTimeout:started:connected:_:)`` ended.
private final class GroupEnd: Sendable {
    private let ending = Mutex<Result<Void, any Error>?>(nil)

    var value: Result<Void, any Error>? { ending.withLock { $0 } }

    func record(_ result: Result<Void, any Error>) {
        ending.withLock { $0 = result }
    }
}
