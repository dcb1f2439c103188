@_spi(Benchmarks) @testable import CogHost
import CogWire
import DiscordCache
import DiscordModels
import DiscordREST
import Foundation
import Testing

/// The host's checks of a cog's Discord actions, against a cache as the gateway fills it:
/// each refusal a cog can meet, with the reason it can show, and what is sent when none applies.
@Suite("Discord actions: capabilities, scope and the checks Discord would make")
struct DiscordActionPlannerTests {
    static let guild: UInt64 = 100
    static let channel: UInt64 = 200
    static let bot: UInt64 = 999
    /// Roles besides @everyone (100) and the bot's (101, position 10).
    static let lowRole: UInt64 = 110
    static let highRole: UInt64 = 111
    static let member: UInt64 = 7
    static let seniorMember: UInt64 = 8
    static let administrator: UInt64 = 9
    static let owner: UInt64 = 1

    static func cache(botPermissions: UInt64 = 1 << 1 | 1 << 2 | 1 << 13 | 1 << 15 | 1 << 28 | 1 << 40 | 1 << 35) -> GuildCache {
        let cache = GuildCache()
        cache.apply(event: "READY", payload: Array(#"{"user":{"id":"\#(bot)","username":"bot"},"guilds":[]}"#.utf8))
        let roles = #",{"id":"\#(lowRole)","name":"Member","permissions":"0","position":1},{"id":"\#(highRole)","name":"Council","permissions":"8","position":20}"#
        let members = [(member, [lowRole]), (seniorMember, [highRole]), (administrator, [lowRole])].map { user, roles in
            #",{"user":{"id":"\#(user)","username":"u\#(user)"},"roles":[\#(roles.map { "\"\($0)\"" }.joined(separator: ","))]}"#
        }.joined()
        // The administrator holds Administrator through an overwrite-free role of their own, below the bot.
        let adminRole = #",{"id":"112","name":"Admins","permissions":"8","position":2}"#
        var payload = Array(guildCreate(guild, channel: channel, bot: bot, botPermissions: botPermissions, extraRoles: roles + adminRole,
                                        members: members))
        payload = Array(String(decoding: payload, as: UTF8.self)
            .replacingOccurrences(of: #""id":"\#(administrator)","username":"u\#(administrator)"},"roles":["\#(lowRole)"]"#,
                                  with: #""id":"\#(administrator)","username":"u\#(administrator)"},"roles":["112"]"#).utf8)
        cache.apply(event: "GUILD_CREATE", payload: payload)
        return cache
    }

    static func planner(_ capabilities: Set<CogCapability>, cache: GuildCache = cache(), reach: CogReach = CogReach(),
                        denials: CapabilityDenials = CapabilityDenials(), disabledIn: Set<UInt64> = [],
                        storedChannels: Set<UInt64> = []) -> DiscordActionPlanner {
        DiscordActionPlanner(cog: "mod", declared: capabilities, denials: denials, cache: cache, reach: reach,
                             isDisabled: { disabledIn.contains($0) }, hasStoredChannel: { storedChannels.contains($1) },
                             ownsMessage: { _, message in message == 42 }, now: Date())
    }

    /// The refusal `body` throws, or a recorded issue when it throws none.
    static func refusal(_ body: () throws -> DiscordRequest) -> ServiceError? {
        do {
            let request = try body()
            Issue.record("expected a refusal, got \(request.route.key)")
            return nil
        } catch let error as ServiceError {
            return error
        } catch {
            Issue.record("not a ServiceError: \(error)")
            return nil
        }
    }

    static let hello = Array(#"{"content":"hello"}"#.utf8)

    @Test("a call outside the declared capabilities, or one the operator denied, is refused naming the capability")
    func capabilities() throws {
        let undeclared = Self.refusal { try Self.planner([]).kick(guild: Self.guild, user: Self.member, reason: nil) }
        #expect(undeclared?.kind == .denied && undeclared?.message.contains("did not declare the capability 'members.moderate'") == true,
                "\(String(describing: undeclared))")
        let denials = try CapabilityDenials(parsing: "mod=members.moderate")
        let denied = Self.refusal { try Self.planner([.membersModerate], denials: denials).kick(guild: Self.guild, user: Self.member, reason: nil) }
        #expect(denied?.kind == .denied && denied?.message.contains("the operator denied cog mod the capability 'members.moderate'") == true,
                "\(String(describing: denied))")
        let file = ServiceRequest.FileUpload(name: "a.txt", data: [1])
        let files = Self.refusal { try Self.planner([.messagesSend]).sendMessage(channel: Self.channel, body: Self.hello, replyTo: nil, files: [file]) }
        #expect(files?.kind == .denied && files?.message.contains("'files'") == true, "\(String(describing: files))")
        let everyone = try CapabilityDenials(parsing: "*=files")
        #expect(everyone.denies(.files, to: "anyone"))
        #expect(throws: CapabilityProblem.self) { try CapabilityDenials(parsing: "mod=nuke") }
        #expect(throws: CapabilityProblem.self) { try CapabilityDenials(parsing: "members.moderate") }
        let request = try Self.planner([.membersModerate]).kick(guild: Self.guild, user: Self.member, reason: "raid")
        #expect(request.route.key == "DELETE /guilds/{guild_id}/members/{user_id}" && request.auditLogReason == "raid")
    }

    @Test("a cog posts only where its work points: an interaction's or event's channel, a thread it made, a channel its settings name")
    func scope() throws {
        let reach = CogReach()
        let unrelated = Self.refusal {
            try Self.planner([.messagesSend], reach: reach).sendMessage(channel: Self.channel, body: Self.hello, replyTo: nil, files: [])
        }
        #expect(unrelated?.kind == .denied && unrelated?.message.contains("is not one cog mod is working in") == true, "\(String(describing: unrelated))")
        let stored = try Self.planner([.messagesSend], storedChannels: [Self.channel])
            .sendMessage(channel: Self.channel, body: Self.hello, replyTo: nil, files: [])
        #expect(stored.route.key == "POST /channels/{channel_id}/messages")
        reach.touched(channel: Self.channel, user: Self.member, cog: "mod")
        _ = try Self.planner([.messagesSend], reach: reach).sendMessage(channel: Self.channel, body: Self.hello, replyTo: 5, files: [])
        let otherCog = Self.refusal {
            try DiscordActionPlanner(cog: "other", declared: [.messagesSend], denials: CapabilityDenials(), cache: Self.cache(), reach: reach,
                                     isDisabled: { _ in false }, hasStoredChannel: { _, _ in false }, ownsMessage: { _, _ in false }, now: Date())
                .sendMessage(channel: Self.channel, body: Self.hello, replyTo: nil, files: [])
        }
        #expect(otherCog?.kind == .denied, "one cog's reach is not another's")
        let turnedOff = Self.refusal {
            try Self.planner([.messagesSend], reach: reach, disabledIn: [Self.guild]).sendMessage(channel: Self.channel, body: Self.hello, replyTo: nil, files: [])
        }
        #expect(turnedOff?.message.contains("turned off in guild") == true, "\(String(describing: turnedOff))")
        let unknown = Self.refusal { try Self.planner([.messagesSend], reach: reach).sendMessage(channel: 777, body: Self.hello, replyTo: nil, files: []) }
        #expect(unknown?.kind == .notFound && unknown?.message.contains("not a channel the bot can see") == true)
        let stale = Self.refusal {
            try DiscordActionPlanner(cog: "mod", declared: [.messagesSend], denials: CapabilityDenials(), cache: Self.cache(), reach: reach,
                                     isDisabled: { _ in false }, hasStoredChannel: { _, _ in false }, ownsMessage: { _, _ in false },
                                     now: Date().addingTimeInterval(CogReach.window + 1))
                .sendMessage(channel: Self.channel, body: Self.hello, replyTo: nil, files: [])
        }
        #expect(stale?.kind == .denied, "an event's channel stays open to the cog for 15 minutes only")
    }

    @Test("what Discord would refuse never reaches it: a missing permission, the role hierarchy, the owner, an administrator's timeout")
    func discordsOwnRules() throws {
        let weak = Self.planner([.messagesManage, .membersModerate], cache: Self.cache(botPermissions: 0))
        let recent = [UInt64](Snowflake(date: Date()).rawValue...Snowflake(date: Date()).rawValue + 1)
        let permission = Self.refusal { try weak.bulkDelete(channel: Self.channel, messages: recent, reason: nil) }
        #expect(permission?.message.contains("the bot lacks the Manage Messages permission in #general") == true, "\(String(describing: permission))")
        let ban = Self.refusal { try weak.ban(guild: Self.guild, user: Self.member, deleteMessageSeconds: 0, reason: nil) }
        #expect(ban?.message.contains("Ban Members") == true && ban?.message.contains("50013") == true)

        let roles = Self.planner([.membersRoles])
        _ = try roles.memberRole(guild: Self.guild, user: Self.member, role: Self.lowRole, adding: true, reason: nil)
        let above = Self.refusal { try roles.memberRole(guild: Self.guild, user: Self.member, role: Self.highRole, adding: true, reason: nil) }
        #expect(above?.kind == .denied && above?.message.contains("role @Council is not below the bot's highest role") == true,
                "\(String(describing: above))")
        let managed = Self.refusal { try roles.memberRole(guild: Self.guild, user: Self.member, role: Self.guild + 1, adding: true, reason: nil) }
        #expect(managed?.message.contains("managed by an integration") == true)
        let everyone = Self.refusal { try roles.memberRole(guild: Self.guild, user: Self.member, role: Self.guild, adding: false, reason: nil) }
        #expect(everyone?.kind == .badRequest)
        let missingRole = Self.refusal { try roles.memberRole(guild: Self.guild, user: Self.member, role: 5, adding: true, reason: nil) }
        #expect(missingRole?.kind == .notFound)

        let moderation = Self.planner([.membersModerate])
        let ownerKick = Self.refusal { try moderation.kick(guild: Self.guild, user: Self.owner, reason: nil) }
        #expect(ownerKick?.message.contains("the guild's owner") == true)
        let senior = Self.refusal { try moderation.timeout(guild: Self.guild, user: Self.seniorMember, until: .after(seconds: 60), reason: nil) }
        #expect(senior?.message.contains("their highest role is not below the bot's") == true, "\(String(describing: senior))")
        let admin = Self.refusal { try moderation.timeout(guild: Self.guild, user: Self.administrator, until: .after(seconds: 60), reason: nil) }
        #expect(admin?.message.contains("does not time out administrators") == true, "\(String(describing: admin))")
        let tooLong = Self.refusal { try moderation.timeout(guild: Self.guild, user: Self.member, until: .at(Date().timeIntervalSince1970 + 29 * 86_400), reason: nil) }
        #expect(tooLong?.kind == .badRequest)
        let timeout = try moderation.timeout(guild: Self.guild, user: Self.member, until: .after(seconds: 600), reason: "spam")
        let body = String(decoding: timeout.body ?? [], as: UTF8.self)
        #expect(timeout.route.key == "PATCH /guilds/{guild_id}/members/{user_id}" && body.contains("communication_disabled_until"), "\(body)")
        #expect(DiscordActionPlanner.timestamp(1_798_761_540.25) == "2026-12-31T23:59:00.250Z")
        #expect(DiscordActionPlanner.timestamp(0) == "1970-01-01T00:00:00.000Z")
        let lift = try moderation.timeout(guild: Self.guild, user: Self.member, until: nil, reason: nil)
        #expect(String(decoding: lift.body ?? [], as: UTF8.self) == #"{"communication_disabled_until":null}"#)
        let history = Self.refusal { try moderation.ban(guild: Self.guild, user: Self.member, deleteMessageSeconds: 700_000, reason: nil) }
        #expect(history?.kind == .badRequest)
        let grant = Self.refusal { try Self.planner([.rolesManage]).createRole(guild: Self.guild, fields: .init(name: "admin", permissions: 8), reason: nil) }
        #expect(grant?.message.contains("which the bot itself lacks") == true, "\(String(describing: grant))")
    }

    @Test("Discord's limits: content, files, bulk deletes, nicknames and threads are checked first")
    func limits() throws {
        let reach = CogReach()
        reach.touched(channel: Self.channel, user: nil, cog: "mod")
        let planner = Self.planner([.messagesSend, .messagesManage, .files, .membersNicknames, .threads], reach: reach)
        let long = Array(#"{"content":"\#(String(repeating: "x", count: 2_001))"}"#.utf8)
        let content = Self.refusal { try planner.sendMessage(channel: Self.channel, body: long, replyTo: nil, files: []) }
        #expect(content?.kind == .badRequest && content?.message.contains("2001 characters") == true, "\(String(describing: content))")
        let big = ServiceRequest.FileUpload(name: "big.bin", data: [UInt8](repeating: 0, count: (10 << 20) + 1))
        let files = Self.refusal { try planner.sendMessage(channel: Self.channel, body: Self.hello, replyTo: nil, files: [big]) }
        #expect(files?.message.contains("at most 10485760 bytes") == true, "\(String(describing: files))")
        let upload = try planner.sendMessage(channel: Self.channel, body: Self.hello, replyTo: nil,
                                             files: [.init(name: "log.txt", data: Array("hi".utf8))])
        #expect(upload.files.map(\.name) == ["log.txt"])
        #expect(String(decoding: upload.body ?? [], as: UTF8.self).contains(#""attachments":[{"id":"0","filename":"log.txt"}]"#))
        let one = Self.refusal { try planner.bulkDelete(channel: Self.channel, messages: [Snowflake(date: Date()).rawValue], reason: nil) }
        #expect(one?.message.contains("2 to 100 messages") == true)
        let old = Snowflake(date: Date().addingTimeInterval(-15 * 86_400)).rawValue
        let stale = Self.refusal { try planner.bulkDelete(channel: Self.channel, messages: [old, old + 1], reason: nil) }
        #expect(stale?.message.contains("older than 14 days") == true)
        let nickname = Self.refusal { try planner.setNickname(guild: Self.guild, user: Self.member, nickname: String(repeating: "n", count: 33), reason: nil) }
        #expect(nickname?.kind == .badRequest)
        let archive = Self.refusal {
            try planner.createThread(channel: Self.channel, message: nil, name: "t", autoArchiveMinutes: 61, isPrivate: false, reason: nil)
        }
        #expect(archive?.message.contains("60, 1440, 4320 or 10080") == true)
        let notOwned = Self.refusal {
            try Self.planner([.messagesSend], reach: reach).deleteMessage(channel: Self.channel, message: 43, reason: nil)
        }
        #expect(notOwned?.message.contains("needs the capability 'messages.manage'") == true)
        _ = try Self.planner([.messagesSend], reach: reach).deleteMessage(channel: Self.channel, message: 42, reason: nil)
    }

    @Test("everything a cog sends pings users only, unless it holds mentions.roles or mentions.everyone")
    func mentions() throws {
        let reach = CogReach()
        reach.touched(channel: Self.channel, user: nil, cog: "mod")
        let loud = Array(#"{"content":"@everyone <@&110>","allowed_mentions":{"parse":["everyone","roles"]}}"#.utf8)
        let quiet = try Self.planner([.messagesSend], reach: reach).sendMessage(channel: Self.channel, body: loud, replyTo: nil, files: [])
        #expect(String(decoding: quiet.body ?? [], as: UTF8.self) == #"{"content":"@everyone <@&110>","allowed_mentions":{"parse":[]}}"#)
        let plain = try Self.planner([.messagesSend], reach: reach).sendMessage(channel: Self.channel, body: Self.hello, replyTo: nil, files: [])
        #expect(String(decoding: plain.body ?? [], as: UTF8.self) == #"{"content":"hello","allowed_mentions":{"parse":["users"]}}"#)
        let allowed = try Self.planner([.messagesSend, .mentionsEveryone, .mentionsRoles], reach: reach)
            .sendMessage(channel: Self.channel, body: loud, replyTo: nil, files: [])
        #expect(String(decoding: allowed.body ?? [], as: UTF8.self).contains(#""parse":["everyone","roles"]"#))
        let denied = try Self.planner([.messagesSend, .mentionsEveryone], reach: reach, denials: CapabilityDenials(parsing: "*=mentions.everyone"))
            .sendMessage(channel: Self.channel, body: Self.hello, replyTo: nil, files: [])
        #expect(String(decoding: denied.body ?? [], as: UTF8.self).contains(#""parse":["users"]"#))
    }

    @Test("a DM goes only to a user the cog's work came from or a member of a guild it serves; a follow-up only to its own interaction")
    func directMessagesAndFollowUps() throws {
        let reach = CogReach()
        let stranger = Self.refusal { try Self.planner([.dm], reach: reach).openDirectMessage(user: 12345, files: []) }
        #expect(stranger?.kind == .denied, "\(String(describing: stranger))")
        _ = try Self.planner([.dm], reach: reach).openDirectMessage(user: Self.member, files: [])
        reach.touched(channel: nil, user: 12345, cog: "mod")
        _ = try Self.planner([.dm], reach: reach).openDirectMessage(user: 12345, files: [])
        let unknown = Self.refusal { try Self.planner([.messagesSend], reach: reach).followUp(interaction: 77, body: Self.hello, files: []) }
        #expect(unknown?.kind == .notFound)
        reach.interaction(77, applicationID: 1, token: "tok", channels: [Self.channel], user: Self.member, cog: "mod")
        let followUp = try Self.planner([.messagesSend], reach: reach).followUp(interaction: 77, body: Self.hello, files: [])
        #expect(followUp.route.key == "POST /webhooks/{application_id}/{interaction_token}" && followUp.route.path == "/webhooks/1/tok")
        let original = try Self.planner([.messagesSend], reach: reach).deleteFollowUp(interaction: 77, message: nil)
        #expect(original.route.path == "/webhooks/1/tok/messages/@original")
    }

    @Test("a cog over its share of the REST budget waits its turn, then is refused, and the other cogs never wait")
    func shares() async throws {
        // Two a second: a third request at once waits its turn (half a second), then goes.
        var queued = RESTShareSettings()
        queued.perCog = 2
        let sharing = RESTShares(settings: queued)
        for _ in 1...3 { try await sharing.admit("busy", cogCount: 2) }
        // One every ten seconds: the second would wait longer than the 2 s allowed, and is refused at once.
        var slow = RESTShareSettings()
        slow.perCog = 0.1
        let shares = RESTShares(settings: slow)
        try await shares.admit("busy", cogCount: 2)
        do {
            try await shares.admit("busy", cogCount: 2)
            Issue.record("a cog over its share was let through")
        } catch {
            #expect(error.message.contains("over its share of the bot's REST budget (0.1 requests per second)"), "\(error)")
        }
        // Another cog has its own share.
        try await shares.admit("quiet", cogCount: 2)
        #expect(RESTShares(settings: RESTShareSettings()).rate(for: "any", cogCount: 5) == 10, "Discord's 50/s split between five cogs")
        var configured = RESTShareSettings()
        configured.byCog["moderation"] = 20
        #expect(RESTShares(settings: configured).rate(for: "moderation", cogCount: 5) == 20)
    }
}
