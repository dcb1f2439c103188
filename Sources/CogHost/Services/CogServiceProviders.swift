import Foundation
import Logging
import ServiceLifecycle
import Storage

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
    private let clock: HostClock

    init(database: SQLiteDatabase, discord: (any CogDiscordActions)?, jobs: JobScheduler, activity: ActivityCounters,
         clock: HostClock) {
        discordActions = discord
        ownMessages = OwnMessages(database: database)
        self.jobs = jobs
        self.activity = activity
        self.clock = clock
        calls = ServiceCallQueue()
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
        let request = try ServiceRequest(bytes)
        switch request.service {
        case "discord.send_message":
            let channel = try request.snowflake("channel_id")
            let id = try await discord(for: cog).createMessage(channel: channel, message: try Self.message(request, from: cog))
            try ownMessages.record(cog: cog, channel: channel, message: id)
            return ServiceRequest.json(["channel_id": String(channel), "message_id": String(id)])
        case "discord.edit_message":
            let (channel, message) = (try request.snowflake("channel_id"), try request.snowflake("message_id"))
            try ownMessages.requireOwner(cog, channel: channel, message: message)
            try await discord(for: cog).editMessage(channel: channel, message: message, with: try Self.message(request, from: cog))
            return ServiceRequest.json([:])
        case "discord.delete_message":
            let (channel, message) = (try request.snowflake("channel_id"), try request.snowflake("message_id"))
            try ownMessages.requireOwner(cog, channel: channel, message: message)
            try await discord(for: cog).deleteMessage(channel: channel, message: message)
            try ownMessages.forget(channel: channel, message: message)
            return ServiceRequest.json([:])
        case "discord.add_reaction":
            let emoji = try request.string("emoji")
            try await discord(for: cog).addReaction(channel: try request.snowflake("channel_id"),
                                                    message: try request.snowflake("message_id"), emoji: emoji)
            return ServiceRequest.json([:])
        case "jobs.schedule":
            // A delay is counted on the host's clock, which the cog test harness moves by hand.
            let at = try request.optionalNumber("after_seconds").map { clock.now().addingTimeInterval($0) }
                ?? Date(timeIntervalSince1970: request.number("at"))
            try jobs.schedule(cog: cog, job: try request.string("job"), state: try request.string("state"), at: at)
            return ServiceRequest.json(["at": at.timeIntervalSince1970])
        case "jobs.cancel":
            let cancelled = try jobs.cancel(cog: cog, job: try request.string("job"), state: try request.string("state"))
            return ServiceRequest.json(["cancelled": cancelled])
        case "activity.guild":
            // Days are named on the host's clock: "today", "yesterday" (the default) or YYYY-MM-DD.
            let day = switch request.optionalString("day") ?? "yesterday" {
            case "today": ActivityCounters.day(of: clock.now())
            case "yesterday": ActivityCounters.day(of: clock.now().addingTimeInterval(-86_400))
            case let named: named
            }
            return ServiceRequest.json(try activity.summary(guild: try request.snowflake("guild_id"), day: day))
        default:
            throw ServiceError(.badRequest, "unknown service '\(request.service)'")
        }
    }

    /// The request's `message`, refused when Discord would refuse it or a custom_id in it does
    /// not carry the cog's name.
    private static func message(_ request: ServiceRequest, from cog: String) throws(ServiceError) -> [UInt8] {
        let message = try request.object("message")
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

/// A service request's fields, read with errors that name the field.
struct ServiceRequest {
    let service: String
    private let fields: [String: Any]

    init(_ bytes: [UInt8]) throws(ServiceError) {
        guard let fields = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let service = fields["service"] as? String else {
            throw ServiceError(.badRequest, "a service request is a JSON object with a \"service\" name")
        }
        self.fields = fields
        self.service = service
    }

    func string(_ key: String) throws(ServiceError) -> String {
        guard let value = fields[key] as? String else { throw missing(key, "a string") }
        return value
    }

    func optionalString(_ key: String) -> String? { fields[key] as? String }

    func optionalNumber(_ key: String) -> Double? { (fields[key] as? NSNumber)?.doubleValue }

    func number(_ key: String) throws(ServiceError) -> Double {
        guard let value = fields[key] as? NSNumber else { throw missing(key, "a number") }
        return value.doubleValue
    }

    /// A snowflake, sent as a string (Discord's way) or a number.
    func snowflake(_ key: String) throws(ServiceError) -> UInt64 {
        if let text = fields[key] as? String, let value = UInt64(text) { return value }
        if let number = fields[key] as? NSNumber, number.int64Value > 0 { return number.uint64Value }
        throw missing(key, "a snowflake")
    }

    /// A nested object, re-encoded as JSON bytes.
    func object(_ key: String) throws(ServiceError) -> [UInt8] {
        guard let value = fields[key] as? [String: Any] else { throw missing(key, "an object") }
        return Self.json(value)
    }

    private func missing(_ key: String, _ kind: String) -> ServiceError {
        ServiceError(.badRequest, "\(service): '\(key)' must be \(kind)")
    }

    static func json(_ object: [String: Any]) -> [UInt8] {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])).map(Array.init) ?? Array("{}".utf8)
    }
}
