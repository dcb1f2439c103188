@testable import CogHost
import CogWire
import CogwheelTestSupport
import DiscordCache
import DiscordModels
import Foundation
import Storage
import Synchronization
import Testing

/// Gateway events through real cog builds: the Swift probe and the C ping cog.
@Suite("Cog events: delivery, order, reloads and intents")
struct CogEventTests {
    /// Records the reactions cogs ask for.
    static func message(_ id: Int, guild: Int = 100, author: Int = 7, content: String = "hi") -> ArraySlice<UInt8> {
        ArraySlice(#"{"id":"\#(id)","channel_id":"200","guild_id":"\#(guild)","author":{"id":"\#(author)","username":"u"},"content":"\#(content)","mentions":[],"type":0}"#.utf8)
    }

    /// The builds that heard message `id`, as the probe recorded them.
    static func heard(_ id: Int, in host: CogHost) throws -> [String] {
        let rows = try host.database.query("SELECT value FROM host_cog_kv WHERE cog = 'probe' AND key = ?", [.text("heard:\(id)")])
        guard let value = rows.first?["value"] else { return [] }
        let bytes: [UInt8] = switch value {
        case .blob(let bytes): bytes
        case .text(let text): Array(text.utf8)
        default: []
        }
        return try JSONDecoder().decode([String].self, from: Data(bytes))
    }

    /// Runs the host's services (the event lanes, service calls) while `body` runs.
    static func whileRunning(_ host: CogHost, _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await host.run() }
            try await body()
            group.cancelAll()
        }
    }

    static func eventually(_ condition: () throws -> Bool) async throws -> Bool {
        for _ in 0..<500 {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try condition()
    }

    @Test("a Swift cog hears a message and a C cog a reaction, through real builds; the bot's own messages stay out")
    func swiftAndC() async throws {
        let discord = AcceptingDiscord()
        let test = try await TestHost.start(installing: [("testcog_probe_v1", "probe"), ("ping", "ping")],
                                            links: .init(discord: discord))
        let events = test.host.events
        events.recognise(botUser: 999)
        try await Self.whileRunning(test.host) {
            // The cache knows the guild, so the ping cog's reaction passes the host's checks.
            test.host.hear(event: "READY", payload: ArraySlice(#"{"user":{"id":"999","username":"bot"},"guilds":[]}"#.utf8), shard: 0)
            test.host.hear(event: "GUILD_CREATE", payload: guildCreate(), shard: 0)
            events.deliver(event: "MESSAGE_CREATE", payload: Self.message(1), shard: 0)
            events.deliver(event: "MESSAGE_CREATE", payload: Self.message(2, author: 999), shard: 0)
            let reaction = #"{"user_id":"7","channel_id":"200","message_id":"1","guild_id":"100","emoji":{"id":null,"name":"🏓"}}"#
            events.deliver(event: "MESSAGE_REACTION_ADD", payload: ArraySlice(reaction.utf8), shard: 0)
            events.deliver(event: "MESSAGE_CREATE", payload: Self.message(3), shard: 0)
            let arrived = try await Self.eventually { try Self.heard(3, in: test.host) == ["1.0.0"] }
            #expect(arrived)
            #expect(try Self.heard(1, in: test.host) == ["1.0.0"])
            #expect(try Self.heard(2, in: test.host).isEmpty, "the bot's own message reached a cog that did not ask for it")
            let reacted = try await Self.eventually { discord.reactions == ["200/1/🏓"] }
            #expect(reacted)
        }
        await test.stop()
    }

    @Test("a listener that throws does not stop the next event; /cog disable stops a guild's events")
    func failuresAndSwitches() async throws {
        let test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        let events = test.host.events
        var host = test
        let manager = InteractionFactory.Invoker(id: 55, username: "manager", permissions: Permission.manageGuild)
        #expect(try await host.reply("/cog disable probe", as: manager, guild: 556)?.content == "✅ Turned `probe` off in this server.")
        try await Self.whileRunning(test.host) {
            events.deliver(event: "MESSAGE_CREATE", payload: Self.message(10, content: "throw"), shard: 0)
            events.deliver(event: "MESSAGE_CREATE", payload: Self.message(11, guild: 556), shard: 0)
            events.deliver(event: "MESSAGE_CREATE", payload: Self.message(12), shard: 0)
            let arrived = try await Self.eventually { try Self.heard(12, in: test.host) == ["1.0.0"] }
            #expect(arrived)
            #expect(try Self.heard(10, in: test.host) == ["1.0.0"], "the throwing listener ran")
            #expect(try Self.heard(11, in: test.host).isEmpty, "a guild that disabled the cog still sent it events")
        }
        await test.stop()
    }

    /// The message ids the probe saw in `guild`, in the order it saw them.
    static func order(in guild: Int, of host: CogHost) throws -> [UInt64] {
        let rows = try host.database.query("SELECT value FROM host_cog_kv WHERE cog = 'probe' AND key = ?", [.text("order:\(guild)")])
        guard case .text(let text)? = rows.first?["value"] else {
            if case .blob(let bytes)? = rows.first?["value"] { return try JSONDecoder().decode([UInt64].self, from: Data(bytes)) }
            return []
        }
        return try JSONDecoder().decode([UInt64].self, from: Data(text.utf8))
    }

    @Test("three guilds' interleaved events each arrive in gateway order; a full queue drops that cog's new events, logged")
    func orderAndOverflow() async throws {
        let ordered = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        try await Self.whileRunning(ordered.host) {
            for index in 0..<30 {
                ordered.host.events.deliver(event: "MESSAGE_CREATE", payload: Self.message(1000 + index, guild: 101 + index % 3), shard: 0)
            }
            await ordered.host.settled()
            for guild in 101...103 {
                let expected = (0..<30).filter { 101 + $0 % 3 == guild }.map { UInt64(1000 + $0) }
                let seen = try Self.order(in: guild, of: ordered.host)
                #expect(seen == expected, "guild \(guild)")
            }
        }
        await ordered.stop()

        let recorder = LogRecorder()
        let bounded = try await TestHost.start(installing: [("testcog_probe_v1", "probe")], logger: recorder.logger(level: .warning)) {
            $0.eventQueueLimit = 4
        }
        try await Self.whileRunning(bounded.host) {
            bounded.host.events.deliver(event: "MESSAGE_CREATE", payload: Self.message(40, content: "sleep"), shard: 0)
            for id in 41...50 { bounded.host.events.deliver(event: "MESSAGE_CREATE", payload: Self.message(id), shard: 0) }
            await bounded.host.settled()
            let slow = try Self.heard(40, in: bounded.host)
            #expect(slow == ["1.0.0"])
            let accepted = try (41...50).filter { try !Self.heard($0, in: bounded.host).isEmpty }
            // The slow one may have left the queue before the others came, freeing its place.
            #expect((3...4).contains(accepted.count), "\(accepted)")
            #expect(accepted == Array(41...(40 + accepted.count)), "the first ones are kept, the later ones dropped")
        }
        #expect(recorder.all.contains { $0.contains("events dropped: the cog's queue is full (4 events)") }, "\(recorder.all)")
        await bounded.stop()
    }

    @Test("a cog without MESSAGE_CONTENT is shown messages without content, embeds or attachments; the bot's own and mentions keep theirs")
    func contentRedaction() throws {
        let bot: UInt64 = 99
        let message = Array(#"{"id":"1","channel_id":"2","content":"a \"secret\"","embeds":[{"title":"x"}],"attachments":[{"id":"3"}],"author":{"id":"7","username":"bob"},"components":[]}"#.utf8)
        let redacted = MessageContentRedaction.redacting(message, botUser: bot)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(redacted)) as? [String: Any])
        #expect(object["content"] as? String == "")
        #expect((object["embeds"] as? [Any])?.isEmpty == true && (object["attachments"] as? [Any])?.isEmpty == true)
        #expect((object["author"] as? [String: Any])?["username"] as? String == "bob", "the rest is kept")
        let own = Array(#"{"id":"1","channel_id":"2","content":"mine","author":{"id":"99","username":"bot"}}"#.utf8)
        #expect(MessageContentRedaction.redacting(own, botUser: bot) == own)
        let mention = Array(#"{"id":"1","channel_id":"2","content":"<@!99> help","author":{"id":"7","username":"bob"}}"#.utf8)
        #expect(MessageContentRedaction.redacting(mention, botUser: bot) == mention)
        let broken = Array(#"{"id":"1","content":"#.utf8)
        #expect(MessageContentRedaction.redacting(broken, botUser: bot) == broken)
    }

    @Test("a cog reads nothing of a guild that turned it off, and message content only with MESSAGE_CONTENT")
    func cacheReadsAreScoped() throws {
        let cache = GuildCache(limits: .init(members: 100, messagesPerChannel: 5))
        cache.apply(event: "GUILD_CREATE", payload: Array(#"{"id":"1","name":"Home","owner_id":"9","roles":[{"id":"1","name":"@everyone","permissions":"3072","position":0}],"channels":[{"id":"10","type":0,"name":"general","position":0}],"members":[{"user":{"id":"2","username":"bob"},"roles":[]}]}"#.utf8))
        cache.apply(event: "MESSAGE_CREATE", payload: Array(#"{"id":"50","channel_id":"10","guild_id":"1","content":"hi","author":{"id":"2","username":"bob"}}"#.utf8))
        let turnedOff = CacheReader(cog: "spy", isDisabled: { $0 == 1 }, readsContent: true)
        for request: ServiceRequest in [.cacheGuild(guild: 1), .cacheChannel(channel: 10), .cacheMember(guild: 1, user: 2),
                                        .cachePermissions(guild: 1, user: 2, channel: 10), .cacheMessage(channel: 10, message: 50)] {
            #expect(throws: ServiceError.self, "\(request.service)") { try CacheLookups.answer(request, from: cache, for: turnedOff) }
        }
        let blind = CacheReader(cog: "quiet", isDisabled: { _ in false }, readsContent: false)
        let answer = try CacheLookups.answer(.cacheMessage(channel: 10, message: 50), from: cache, for: blind)
        #expect(!String(decoding: answer, as: UTF8.self).contains("hi"), "\(String(decoding: answer, as: UTF8.self))")
    }

    @Test("after a resume in a new process (no READY) only a GUILD_CREATE with a recent joined_at is a join")
    func joinedAfterResume() {
        let recent = Array(#"{"id":"1","joined_at":"2027-01-15T08:00:00.123456+00:00"}"#.utf8)
        let joined = ISO8601DateFormatter().date(from: "2027-01-15T08:00:00Z")!
        #expect(ReadyGuilds.joinedRecently(recent, now: joined.addingTimeInterval(30)))
        #expect(!ReadyGuilds.joinedRecently(recent, now: joined.addingTimeInterval(3600)), "a guild coming back after an outage")
        #expect(!ReadyGuilds.joinedRecently(Array(#"{"id":"1"}"#.utf8), now: joined))
    }

    @Test("100 reloads under a stream of events: every event reaches exactly one generation, once")
    func reloadsUnderEvents() async throws {
        var test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        let events = test.host.events
        let total = 600
        try await Self.whileRunning(test.host) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for id in 1...total {
                        events.deliver(event: "MESSAGE_CREATE", payload: Self.message(id), shard: 0)
                        if id % 50 == 0 { try await Task.sleep(for: .milliseconds(2)) }
                    }
                }
                for round in 0..<100 {
                    try test.install(round % 2 == 0 ? "testcog_probe_v2" : "testcog_probe_v1")
                    _ = try await test.host.supervisor.reload("probe")
                }
                try await group.waitForAll()
            }
            let arrived = try await Self.eventually { try !Self.heard(total, in: test.host).isEmpty }
            #expect(arrived)
            var versions: [String: Int] = [:]
            for id in 1...total {
                let heard = try Self.heard(id, in: test.host)
                #expect(heard.count == 1, "message \(id) was heard \(heard.count) times: \(heard)")
                if let build = heard.first { versions[build, default: 0] += 1 }
            }
            #expect(versions.count == 2, "both builds served events: \(versions)")
        }
        _ = try await test.reply("/probe")
        await test.stop()
    }

    @Test("a reload that needs an intent the session lacks is refused and the old build keeps serving")
    func missingIntent() async throws {
        var test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        test.host.sessionIntents.identified(with: [.guilds, .guildMessages, .directMessages])
        try test.install("testcog_probe_v2")
        await #expect {
            _ = try await test.host.supervisor.reload("probe")
        } throws: { error in
            "\(error)".contains("needs the GUILD_MEMBERS intent: restart to apply")
        }
        #expect(try await test.reply("/probe")?.content?.hasPrefix("probe 1.0.0") == true)
        await test.stop()
    }

    @Test("a listener reads the host's cache as of its event: permissions by Discord's computation, and the member")
    func cacheThroughTheABI() async throws {
        let test = try await TestHost.start(installing: [("testcog_probe_v1", "probe")])
        let guild = #"{"id":"100","name":"Home","owner_id":"9","roles":[{"id":"100","name":"@everyone","permissions":"3072"},{"id":"5","name":"Mods","permissions":"8192"}],"channels":[{"id":"200","type":0,"name":"general","permission_overwrites":[{"id":"100","type":0,"allow":"0","deny":"2048"},{"id":"5","type":0,"allow":"2048","deny":"0"}]}],"members":[{"user":{"id":"7","username":"bob"},"nick":"Bobby","roles":["5"]}]}"#
        test.host.cache.apply(event: "GUILD_CREATE", payload: Array(guild.utf8))
        try await Self.whileRunning(test.host) {
            test.host.events.deliver(event: "MESSAGE_CREATE", payload: Self.message(50, content: "perms"), shard: 0)
            let key = "perms:50"
            let read = try await Self.eventually {
                !(try test.host.database.query("SELECT value FROM host_cog_kv WHERE key = ?", [.text(key)]).isEmpty)
            }
            #expect(read)
            let value = try test.host.database.query("SELECT value FROM host_cog_kv WHERE key = ?", [.text(key)]).first?["value"]
            let text: String = switch value {
            case .blob(let bytes)?: String(decoding: bytes, as: UTF8.self)
            case .text(let text)?: text
            default: ""
            }
            // VIEW_CHANNEL | SEND_MESSAGES (the Mods overwrite beats @everyone's deny) | MANAGE_MESSAGES.
            #expect(text == "\"\(1024 | 2048 | 8192) Bobby\"")
        }
        #expect(test.host.cache.size().guilds == 1)
        #expect(await test.host.health().cache.members == 1)
        await test.stop()
    }

    @Test("the manifest's events give the intents, and an unknown event refuses the load naming it")
    func declaredEvents() throws {
        let manifest = CogManifest(commands: [], events: ["MESSAGE_CREATE", "GUILD_MEMBER_ADD"], intents: ["MESSAGE_CONTENT"])
        #expect(manifest.gatewayIntents == [.guildMessages, .directMessages, .guildMembers, .messageContent])
        #expect(throws: ManifestProblem(field: "events[0]", problem: "'MEMBER_JOIN' is not a gateway event Discord documents (names look like MESSAGE_CREATE)")) {
            try ManifestValidator.validate(CogManifest(commands: [], events: ["MEMBER_JOIN"]))
        }
        #expect(throws: ManifestProblem.self) { try ManifestValidator.validate(CogManifest(commands: [], intents: ["MESSAGE_TEXT"])) }
    }
}
