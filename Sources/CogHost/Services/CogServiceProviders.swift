import CCogABI
import CogWire
import DiscordCache
import DiscordREST
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Storage
import Synchronization

/// What a cog reaches through the `call_service` entry of its services table: Discord actions
/// through the host's REST client, its jobs, the guild activity counters and the cache.
///
/// Requests are JSON `{"service": name, …}`; answers are JSON. See docs/cog-abi.md. Each
/// Discord action is checked by a ``DiscordActionPlanner`` first and kept to the cog's share
/// of the REST budget (``RESTShares``).
///
/// As a ``Service`` it serves the queued calls; a graceful shutdown lets the calls started
/// finish and refuses new ones.
final class CogServiceProviders: Service {
    /// The bot's Discord client (or the test harness's recorder); `nil` when the host is
    /// connected to no Discord, and the actions are refused with a reason.
    private let discordActions: (any CogDiscordActions)?
    private let database: SQLiteDatabase
    let ownMessages: OwnMessages
    let jobs: JobScheduler
    let activity: ActivityCounters
    let calls: ServiceCallQueue
    /// What the host knows of Discord, kept from the gateway's events.
    let cache: GuildCache
    /// Where each cog's work points: where it may post, whom it may DM, what it may follow up.
    let reach: CogReach
    private let denials: CapabilityDenials
    private let shares: RESTShares
    private let clock: HostClock
    /// What limits a cog's cache reads and actions, set by ``limitCacheReads(switchboard:table:)``
    /// once the switchboard exists (after the migrations); until then no cog reads or acts.
    private let cacheLimits = Mutex<(switchboard: GuildSwitchboard, table: RoutingTable)?>(nil)

    init(database: SQLiteDatabase, discord: (any CogDiscordActions)?, jobs: JobScheduler, activity: ActivityCounters,
         cache: GuildCache, reach: CogReach, denials: CapabilityDenials, shares: RESTShareSettings, clock: HostClock) {
        discordActions = discord
        self.database = database
        self.cache = cache
        self.reach = reach
        self.denials = denials
        self.shares = RESTShares(settings: shares)
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
        if DiscordActionPlanner.capability(for: request) != nil {
            return try await performDiscordAction(request, cog: cog)
        }
        switch request {
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
        default:
            throw ServiceError(.badRequest, "\(request.service) is not a service of this host")
        }
    }

    /// The Discord actions on behalf of `cog`, whose refusals count against its own share.
    private func discord(for cog: String) throws(ServiceError) -> any CogDiscordActions {
        guard let discordActions else {
            throw ServiceError(.failed, "this host is not connected to Discord; Discord actions are unavailable")
        }
        return discordActions.acting(for: cog)
    }

    /// The planner for `cog`'s actions, from the capabilities its serving generation declared.
    private func planner(for cog: String) throws(ServiceError) -> DiscordActionPlanner {
        guard let (switchboard, table) = cacheLimits.withLock({ $0 }) else {
            throw ServiceError(.failed, "Discord actions are not available before the host has started")
        }
        let declared = table.generation(of: cog)?.image.manifest.capabilities ?? []
        return DiscordActionPlanner(
            cog: cog, declared: Set(declared.compactMap(CogCapability.init(rawValue:))), denials: denials, cache: cache, reach: reach,
            isDisabled: { switchboard.isDisabled(cog: cog, in: $0) },
            hasStoredChannel: { [database] guild, channel in Self.settingNames(channel, cog: cog, guild: guild, in: database) },
            ownsMessage: { [ownMessages] channel, message in ownMessages.isOwner(cog, channel: channel, message: message) },
            now: clock.now()
        )
    }

    /// Whether one of `cog`'s key–value entries for `guild` holds `channel` (as `/gazette channel` stores it).
    private static func settingNames(_ channel: UInt64, cog: String, guild: UInt64, in database: SQLiteDatabase) -> Bool {
        let rows = try? database.query(
            "SELECT 1 FROM host_cog_kv WHERE cog = ? AND scope = ? AND first_id = ? AND value IN (?, ?) LIMIT 1",
            [.text(cog), .integer(Int64(COG_KV_GUILD.rawValue)), .integer(Int64(bitPattern: guild)),
             .blob(Array(String(channel).utf8)), .blob(Array("\"\(channel)\"".utf8))]
        )
        return rows?.isEmpty == false
    }

    /// Checks, sends and answers one Discord action of `cog`.
    private func performDiscordAction(_ request: ServiceRequest, cog: String) async throws -> [UInt8] {
        let planner = try planner(for: cog)
        let discord = try discord(for: cog)
        func send(_ planned: DiscordRequest) async throws -> DiscordResponse {
            try await self.send(planned, for: cog, through: discord)
        }
        switch request {
        case .sendMessage(let channel, let body, let replyTo, let files):
            let response = try await send(try planner.sendMessage(channel: channel, body: body, replyTo: replyTo, files: files))
            let sent = try Self.sentMessage(response, channel: channel)
            try ownMessages.record(cog: cog, channel: sent.channel, message: sent.message)
            return sent.encoded()
        case .sendDirectMessage(let user, let body, let files):
            let opening = try planner.openDirectMessage(user: user, files: files)
            let channel: UInt64
            if let known = reach.directMessageChannel(with: user, cog: cog) {
                channel = known
            } else {
                channel = try Self.createdID(try await send(opening))
                reach.opened(directMessageChannel: channel, with: user, cog: cog)
            }
            let sent = try Self.sentMessage(try await send(try planner.sendDirectMessage(channel: channel, body: body, files: files)),
                                            channel: channel)
            try ownMessages.record(cog: cog, channel: sent.channel, message: sent.message)
            return sent.encoded()
        case .editMessage(let channel, let message, let body):
            _ = try await send(try planner.editMessage(channel: channel, message: message, body: body))
        case .deleteMessage(let channel, let message, let reason):
            _ = try await send(try planner.deleteMessage(channel: channel, message: message, reason: reason))
            try ownMessages.forget(channel: channel, message: message)
        case .addReaction(let channel, let message, let emoji):
            _ = try await send(try planner.addReaction(channel: channel, message: message, emoji: emoji))
        case .fetchMessage(let channel, let message):
            return readable(try await send(try planner.fetchMessage(channel: channel, message: message)).body, by: cog)
        case .fetchMessages(let channel, let limit, let before):
            let messages = try await send(try planner.fetchMessages(channel: channel, limit: limit, before: before)).body
            return Array(#"{"messages":["#.utf8) + Array(Self.elements(of: messages).map { readable($0, by: cog) }.joined(separator: [UInt8(ascii: ",")]))
                + Array("]}".utf8)
        case .bulkDelete(let channel, let messages, let reason):
            _ = try await send(try planner.bulkDelete(channel: channel, messages: messages, reason: reason))
        case .pin(let channel, let message, let pinned, let reason):
            _ = try await send(try planner.pin(channel: channel, message: message, pinned: pinned, reason: reason))
        case .memberRole(let guild, let user, let role, let adding, let reason):
            _ = try await send(try planner.memberRole(guild: guild, user: user, role: role, adding: adding, reason: reason))
        case .setNickname(let guild, let user, let nickname, let reason):
            _ = try await send(try planner.setNickname(guild: guild, user: user, nickname: nickname, reason: reason))
        case .timeout(let guild, let user, let until, let reason):
            _ = try await send(try planner.timeout(guild: guild, user: user, until: until, reason: reason))
        case .kick(let guild, let user, let reason):
            _ = try await send(try planner.kick(guild: guild, user: user, reason: reason))
        case .ban(let guild, let user, let seconds, let reason):
            _ = try await send(try planner.ban(guild: guild, user: user, deleteMessageSeconds: seconds, reason: reason))
        case .unban(let guild, let user, let reason):
            _ = try await send(try planner.unban(guild: guild, user: user, reason: reason))
        case .createRole(let guild, let fields, let reason):
            return CreatedAnswer(id: try Self.createdID(try await send(try planner.createRole(guild: guild, fields: fields, reason: reason))))
                .encoded()
        case .editRole(let guild, let role, let fields, let reason):
            _ = try await send(try planner.editRole(guild: guild, role: role, fields: fields, reason: reason))
        case .deleteRole(let guild, let role, let reason):
            _ = try await send(try planner.deleteRole(guild: guild, role: role, reason: reason))
        case .createThread(let channel, let message, let name, let minutes, let isPrivate, let reason):
            let thread = try Self.createdID(try await send(try planner.createThread(
                channel: channel, message: message, name: name, autoArchiveMinutes: minutes, isPrivate: isPrivate, reason: reason)))
            // The cog works in the thread it made.
            reach.made(thread: thread, cog: cog)
            return CreatedAnswer(id: thread).encoded()
        case .archiveThread(let thread, let locked, let reason):
            _ = try await send(try planner.archiveThread(thread: thread, locked: locked, reason: reason))
        case .addThreadMember(let thread, let user):
            _ = try await send(try planner.addThreadMember(thread: thread, user: user))
        case .followUp(let interaction, let body, let files):
            let response = try await send(try planner.followUp(interaction: interaction, body: body, files: files))
            return try Self.sentMessage(response, channel: reach.interaction(interaction, cog: cog)?.channelID ?? 0).encoded()
        case .editFollowUp(let interaction, let message, let body):
            _ = try await send(try planner.editFollowUp(interaction: interaction, message: message, body: body))
        case .deleteFollowUp(let interaction, let message):
            _ = try await send(try planner.deleteFollowUp(interaction: interaction, message: message))
        case .scheduleJob, .cancelJob, .guildActivity, .cacheGuild, .cacheChannel, .cacheMember, .cacheRoleMembers,
             .cachePermissions, .cacheMessage:
            throw ServiceError(.badRequest, "\(request.service) is not a Discord action")
        }
        return EmptyAnswer().encoded()
    }

    /// A fetched message as `cog` may read it: as Discord would send it to an app without
    /// MESSAGE_CONTENT unless the cog declared that intent (the same rule as its events).
    private func readable(_ message: [UInt8], by cog: String) -> [UInt8] {
        let readsContent = cacheLimits.withLock { $0?.table.generation(of: cog) }?.image.manifest.gatewayIntents.contains(.messageContent) ?? false
        return readsContent ? message : MessageContentRedaction.redacting(message, botUser: cache.botUserID)
    }

    /// The elements of a JSON array, as bytes; none when it is not one.
    private static func elements(of array: [UInt8]) -> [[UInt8]] {
        (try? JSONScanner.scan(array) { scanner in
            var elements: [[UInt8]] = []
            try scanner.readArray { scanner, _ in elements.append(Array(array[try scanner.skipValue()])) }
            return elements
        }) ?? []
    }

    /// Sends one checked request within `cog`'s share, counting it by outcome.
    private func send(_ request: DiscordRequest, for cog: String, through discord: any CogDiscordActions) async throws -> DiscordResponse {
        if let reason = request.auditLogReason, reason.unicodeScalars.count > 512 {
            throw ServiceError(.badRequest, "reason is \(reason.unicodeScalars.count) characters; Discord's audit log takes at most 512")
        }
        let cogCount = cacheLimits.withLock { $0?.table.cogCount } ?? 1
        do {
            try await shares.admit(cog, cogCount: cogCount)
        } catch {
            Self.count(cog: cog, outcome: "over_share")
            throw error
        }
        do {
            let response = try await discord.send(request)
            Self.count(cog: cog, outcome: "\(response.status / 100)xx")
            return response
        } catch {
            if case .http(_, let status, _, _) = error { Self.count(cog: cog, outcome: "\(status / 100)xx") } else { Self.count(cog: cog, outcome: "failed") }
            throw ServiceError(.failed, "Discord refused \(request.route.key): \(error)")
        }
    }

    /// `cogwheel_cog_rest_requests_total{cog, outcome}`: `2xx`, `4xx`, `5xx`, `failed` (no answer) or `over_share`.
    private static func count(cog: String, outcome: String) {
        Counter(label: "cogwheel_cog_rest_requests_total", dimensions: [("cog", cog), ("outcome", outcome)]).increment()
    }

    /// The `id` of what Discord made (a role, a thread, a DM channel).
    private static func createdID(_ response: DiscordResponse) throws(ServiceError) -> UInt64 {
        guard let id = try? CreatedAnswer(scanning: response.body).id else {
            throw ServiceError(.failed, "Discord's answer has no id")
        }
        return id
    }

    /// Where a message went, from Discord's message object (`channel` when it has no `channel_id`).
    private static func sentMessage(_ response: DiscordResponse, channel: UInt64) throws(ServiceError) -> SentMessageAnswer {
        var sent = SentMessageAnswer(channel: channel, message: 0)
        do {
            try JSONScanner.scan(response.body) { scanner in
                try scanner.readObject { scanner, key in
                    switch key {
                    case "id": sent.message = try scanner.readSnowflake() ?? 0
                    case "channel_id": sent.channel = try scanner.readSnowflake() ?? channel
                    default: try scanner.skipValue()
                    }
                }
            }
        } catch {
            throw ServiceError(.failed, "Discord's answer is not a message: \(error)")
        }
        guard sent.message != 0 else { throw ServiceError(.failed, "Discord's answer has no message id") }
        return sent
    }
}
