import CogHost
import Logging
import ServiceLifecycle

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
    public static func withRunning<Result: Sendable>(
        configuration: BotConfiguration, host hostConfiguration: HostConfiguration, logger: Logger,
        readyTimeout: Duration = .seconds(10), started: (CogHost.StartupReport) -> Void = { _ in },
        connected: @escaping @Sendable (Connection) async -> Void = { _ in },
        _ body: @Sendable (DiscordBot) async throws -> Result
    ) async throws -> Result {
        let link = DiscordLink(configuration: configuration, logger: logger)
        let (host, startup) = try await CogHost.start(configuration: hostConfiguration, links: link.hostLinks(), logger: logger)
        started(startup)
        let bot = DiscordBot(link: link, host: host, logger: logger, connected: connected)
        let group = ServiceGroup(services: [RESTClientService(rest: link.rest), host, bot], logger: logger)
        return try await withThrowingTaskGroup(of: Result?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            let result: Result
            do {
                let started = ContinuousClock.now
                while bot.shardStatuses.first?.state != .ready {
                    guard ContinuousClock.now - started < readyTimeout else {
                        throw NotReady(description: "the gateway was not READY within \(readyTimeout)")
                    }
                    try await Task.sleep(for: .milliseconds(1))
                }
                result = try await body(bot)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            while try await tasks.next() != nil {}
            return result
        }
    }
}
