import DiscordModels
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Who runs the bot: the application's owner, or its team's owner, admins and developers, as
/// Discord says (`GET /applications/@me`, asked on start and hourly), plus the configured
/// `COGWHEEL_ADMIN_IDS`. Only they run the bot-wide commands; a guild's Administrator is not
/// one of them, because anyone can make a guild and invite a public bot.
///
/// Until Discord has answered, only the configured users are operators; a failed refresh
/// keeps the last answer and tries again a minute later.
final class BotOperators: Service, Sendable {
    /// What the directory knows now.
    struct Snapshot: Sendable, Equatable {
        var configured: Set<UInt64>
        /// The application's managers, from Discord's last answer.
        var fromDiscord: [DiscordApplication.Manager] = []
        var askedDiscord = false

        var ids: Set<UInt64> { configured.union(fromDiscord.map(\.userID)) }

        /// For the start-up log and `check-config`.
        var description: String {
            var parts: [String] = []
            if !fromDiscord.isEmpty { parts.append("from Discord " + fromDiscord.map(\.description).joined(separator: ", ")) }
            if !configured.isEmpty { parts.append("COGWHEEL_ADMIN_IDS " + configured.sorted().map(String.init).joined(separator: ", ")) }
            return parts.isEmpty ? "nobody" : parts.joined(separator: "; ")
        }
    }

    static let refreshInterval: Duration = .seconds(3600)
    static let retryInterval: Duration = .seconds(60)

    private let state: Mutex<Snapshot>
    private let application: (@Sendable () async throws -> DiscordApplication)?
    private let logger: Logger

    /// - Parameter application: Asks Discord for the application; `nil` for a host that is not
    ///   connected (then only `configured` are operators).
    init(configured: Set<UInt64>, application: (@Sendable () async throws -> DiscordApplication)?, logger: Logger) {
        state = Mutex(Snapshot(configured: configured))
        self.application = application
        self.logger = logger
    }

    var snapshot: Snapshot { state.withLock { $0 } }

    func isOperator(_ user: UInt64) -> Bool {
        state.withLock { $0.configured.contains(user) || $0.fromDiscord.contains { $0.userID == user } }
    }

    /// Asks Discord once and keeps the answer.
    func refresh() async throws {
        guard let application else { return }
        let managers = try await application().managers
        let changed = state.withLock { snapshot in
            defer {
                snapshot.fromDiscord = managers
                snapshot.askedDiscord = true
            }
            return !snapshot.askedDiscord || snapshot.fromDiscord != managers
        }
        if changed { announce(snapshot) }
    }

    /// Refreshes at start and hourly until the shutdown.
    func run() async throws {
        guard application != nil else {
            announce(snapshot)
            try? await gracefulShutdown()
            return
        }
        var first = true
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let wait: Duration
            do {
                try await refresh()
                wait = Self.refreshInterval
            } catch {
                logger.warning("could not ask Discord who owns the application; keeping the operators known so far",
                               metadata: ["error": "\(error)", "operators": "\(snapshot.description)"])
                if first { announce(snapshot) }
                wait = Self.retryInterval
            }
            first = false
            await sleepUnlessShuttingDown(for: wait)
        }
    }

    private func announce(_ snapshot: Snapshot) {
        if snapshot.ids.isEmpty, application == nil {
            // A host without Discord (a benchmark, `--events`): nobody could be named.
            logger.notice("no operators: this host does not ask Discord, and COGWHEEL_ADMIN_IDS is empty")
        } else if snapshot.ids.isEmpty {
            logger.critical("NOBODY IS AN OPERATOR: /reload, /load, /unload, /sync, /backup, /jobs, /cogs, /health are refused to everyone until Discord names the application's owner or COGWHEEL_ADMIN_IDS is set")
        } else {
            logger.notice("operators: \(snapshot.description)")
        }
    }
}
