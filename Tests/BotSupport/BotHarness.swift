import BotRuntime
import CogHost
import CogwheelTestSupport
import DiscordGateway
import DiscordModels
import DiscordSimulator
import Foundation
import Logging
import Testing

/// A simulator, a host with real cogs, and a bot connected to the simulator through the real
/// gateway and REST clients, for one test.
public struct BotHarness: Sendable {
    public static let token = "simulated.bot.token-0123456789"
    public static let admin = InteractionFactory.Invoker(id: 800_000_000_000_000_001, username: "ada")
    public static let player = InteractionFactory.Invoker(id: 800_000_000_000_000_002, username: "bob")

    public let discord: DiscordSimulator
    public let bot: DiscordBot
    public let host: CogHost
    public let directory: URL

    public static var quietLogger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = ProcessInfo.processInfo.environment["COGWHEEL_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        return logger
    }

    /// Runs `body` with a connected bot serving `cogs` (product → cog name).
    public static func withBot<T: Sendable>(
        cogs: [(product: String, cog: String)] = [("ping", "ping"), ("dice", "dice")],
        simulator configure: @Sendable (inout SimulatorConfiguration) -> Void = { _ in },
        bot configureBot: @Sendable (inout BotConfiguration) -> Void = { _ in },
        host configureHost: @Sendable (inout HostConfiguration) -> Void = { _ in },
        logger: Logger = quietLogger,
        _ body: @Sendable (BotHarness) async throws -> T
    ) async throws -> T {
        var simulatorConfiguration = SimulatorConfiguration(token: token)
        configure(&simulatorConfiguration)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-bot-\(UUID().uuidString)")
        for entry in cogs {
            try BuiltCogs.install(entry.product, as: entry.cog, in: directory.appendingPathComponent("cogs"))
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await DiscordSimulator.withRunning(simulatorConfiguration, logger: quietLogger) { discord in
            var hostConfiguration = HostConfiguration(dataDirectory: directory, adminUserIDs: [admin.id])
            configureHost(&hostConfiguration)
            var configuration = BotConfiguration(token: BotToken(token), apiBase: discord.apiBase)
            configureBot(&configuration)
            return try await DiscordBot.withRunning(configuration: configuration, host: hostConfiguration, logger: logger) { bot in
                try await body(BotHarness(discord: discord, bot: bot, host: bot.host, directory: directory))
            }
        }
    }

    /// Runs `body` with a host serving ping and dice whose bot never connects (`bot` exists
    /// but is not run), for what the host reports before Discord is reached.
    public static func withHostOnly<T: Sendable>(_ body: @Sendable (BotHarness) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-bot-\(UUID().uuidString)")
        for cog in ["ping", "dice"] {
            try BuiltCogs.install(cog, as: cog, in: directory.appendingPathComponent("cogs"))
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await DiscordSimulator.withRunning(SimulatorConfiguration(token: token), logger: quietLogger) { discord in
            let link = DiscordLink(configuration: BotConfiguration(token: BotToken(token), apiBase: discord.apiBase), logger: quietLogger)
            let (host, _) = try await CogHost.start(configuration: HostConfiguration(dataDirectory: directory),
                                                    links: link.hostLinks(), logger: quietLogger)
            let bot = DiscordBot(link: link, host: host, logger: quietLogger)
            do {
                let result = try await body(BotHarness(discord: discord, bot: bot, host: host, directory: directory))
                await host.shutdown()
                return result
            } catch {
                await host.shutdown()
                throw error
            }
        }
    }

    /// Polls `condition` every 10 ms for up to `timeout`.
    public func waitUntil(_ what: String, timeout: Duration = .seconds(10), _ condition: () -> Bool) async throws {
        try await Self.waitUntil(what, timeout: timeout, condition)
    }

    public static func waitUntil(_ what: String, timeout: Duration = .seconds(10), _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { throw TestSetupError("timed out waiting until \(what)") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    public var shard: GatewayShardStatus { bot.shardStatuses[0] }
}
