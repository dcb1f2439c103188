import CogWire
import DiscordCache
import Foundation
import Logging
import ServiceLifecycle
import Storage
import Synchronization

/// What a cog reaches through the `call_service` entry of its services table: Discord actions
/// through the host's REST client, its jobs, and the guild activity counters.
///
/// Requests are JSON `{"service": name, …}`; answers are JSON. See docs/cog-abi.md.
///
/// As a ``Service`` it serves the queued calls; a graceful shutdown lets the calls started
/// finish and refuses new ones.
final class CogServiceProviders: Service {
    /// The bot's Discord client (or the test harness's recorder); `nil` when the host is
    /// connected to no Discord, and the actions are refused with a reason.
    private let discordActions: (any CogDiscordActions)?
    let ownMessages: OwnMessages
    let jobs: JobScheduler
    let activity: ActivityCounters
    let calls: ServiceCallQueue
    /// What the host knows of Discord, kept from the gateway's events.
    let cache: GuildCache
    private let clock: HostClock
    /// What limits a cog's cache reads, set by ``limitCacheReads(switchboard:table:)`` once the
    /// switchboard exists (after the migrations); until then the cache is read by no cog.
    private let cacheLimits = Mutex<(switchboard: GuildSwitchboard, table: RoutingTable)?>(nil)

    init(database: SQLiteDatabase, discord: (any CogDiscordActions)?, jobs: JobScheduler, activity: ActivityCounters,
         cache: GuildCache, clock: HostClock) {
        discordActions = discord
        self.cache = cache
        ownMessages = OwnMessages(database: database)
        self.jobs = jobs
        self.activity = activity
        self.clock = clock
        calls = ServiceCallQueue()
    }

    /// Scopes every cog's cache reads to the guilds that did not turn it off, and message
    /// content to cogs that declared MESSAGE_CONTENT.
    func limitCacheReads(switchboard: GuildSwitchboard, table: RoutingTable) {
        cacheLimits.withLock { $0 = (switchboard, table) }
    }

    private func cacheReader(_ cog: String) throws(ServiceError) -> CacheReader {
        guard let (switchboard, table) = cacheLimits.withLock({ $0 }) else {
            throw ServiceError(.failed, "the cache is not readable before the host has started")
        }
        let intents = table.generation(of: cog)?.image.manifest.gatewayIntents ?? []
        return CacheReader(cog: cog, isDisabled: { switchboard.isDisabled(cog: cog, in: $0) },
                           readsContent: intents.contains(.messageContent))
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            await calls.run(using: self)
        } onGracefulShutdown: {
            self.calls.finish()
        }
    }

    /// Performs one request from `cog`.
    func perform(_ bytes: [UInt8], cog: String) async throws -> [UInt8] {
        let request: ServiceRequest
        do {
            request = try ServiceRequest(scanning: bytes)
        } catch {
            throw ServiceError(.badRequest, "\(error)")
        }
        switch request {
        case .sendMessage(let channel, let message):
            let id = try await discord(for: cog).createMessage(channel: channel, message: try Self.checked(message, from: cog))
            try ownMessages.record(cog: cog, channel: channel, message: id)
            return SentMessageAnswer(channel: channel, message: id).encoded()
        case .editMessage(let channel, let message, let body):
            try ownMessages.requireOwner(cog, channel: channel, message: message)
            try await discord(for: cog).editMessage(channel: channel, message: message, with: try Self.checked(body, from: cog))
            return EmptyAnswer().encoded()
        case .deleteMessage(let channel, let message):
            try ownMessages.requireOwner(cog, channel: channel, message: message)
            try await discord(for: cog).deleteMessage(channel: channel, message: message)
            try ownMessages.forget(channel: channel, message: message)
            return EmptyAnswer().encoded()
        case .addReaction(let channel, let message, let emoji):
            try await discord(for: cog).addReaction(channel: channel, message: message, emoji: emoji)
            return EmptyAnswer().encoded()
        case .scheduleJob(let job, let state, let when):
            // A delay is counted on the host's clock, which the cog test harness moves by hand.
            let at = switch when {
            case .after(let seconds): clock.now().addingTimeInterval(seconds)
            case .at(let time): Date(timeIntervalSince1970: time)
            }
            try jobs.schedule(cog: cog, job: job, state: state, at: at)
            return ScheduledRunAnswer(at: at.timeIntervalSince1970).encoded()
        case .cancelJob(let job, let state):
            return CancelledRunAnswer(cancelled: try jobs.cancel(cog: cog, job: job, state: state)).encoded()
        case .guildActivity(let guild, let day):
            // Days are named on the host's clock: "today", "yesterday" (the default) or YYYY-MM-DD.
            let day = switch day ?? "yesterday" {
            case "today": ActivityCounters.day(of: clock.now())
            case "yesterday": ActivityCounters.day(of: clock.now().addingTimeInterval(-86_400))
            case let named: named
            }
            return try activity.summary(guild: guild, day: day).encoded()
        case .cacheGuild, .cacheChannel, .cacheMember, .cacheRoleMembers, .cachePermissions, .cacheMessage:
            return try CacheLookups.answer(request, from: cache, for: cacheReader(cog))
        }
    }

    /// A message a cog sends, refused when Discord would refuse it or a custom_id in it does
    /// not carry the cog's name.
    private static func checked(_ message: [UInt8], from cog: String) throws(ServiceError) -> [UInt8] {
        if let problem = MessageLimits.problem(in: message, sentBy: cog) { throw ServiceError(.badRequest, "message: \(problem)") }
        return message
    }

    /// The Discord actions on behalf of `cog`, whose refusals count against its own share.
    private func discord(for cog: String) throws(ServiceError) -> any CogDiscordActions {
        guard let discordActions else {
            throw ServiceError(.failed, "this host is not connected to Discord; Discord actions are unavailable")
        }
        return discordActions.acting(for: cog)
    }
}
