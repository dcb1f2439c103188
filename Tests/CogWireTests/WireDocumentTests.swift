import CogWire
import Testing

@Suite("CogWire documents")
struct WireDocumentTests {
    @Test("the bytes C cogs already write and read keep their meaning")
    func todaysBytes() throws {
        // What cogs/ping/ping.c writes, and what the host answered before the vocabulary existed.
        #expect(try ResponseDocument(scanning: Array(#"{"kind":"message","data":{"content":"Pong!","flags":64}}"#.utf8))
            == .message(data: Array(#"{"content":"Pong!","flags":64}"#.utf8)))
        #expect(try ResponseDocument(scanning: Array(#"{"detail":"x","kind":"error"}"#.utf8)) == .error(message: nil, detail: "x"))
        #expect(SentMessageAnswer(channel: 200, message: 901).encoded() == Array(#"{"channel_id":"200","message_id":"901"}"#.utf8))
        #expect(JobRunDocument(job: "digest", state: "", scheduledFor: 1_798_761_540.5, missed: 2).encoded()
            == Array(#"{"job":"digest","missed":2,"scheduled_for":1798761540.5,"state":""}"#.utf8))
        #expect(try ServiceRequest(scanning: Array(#"{"service":"discord.add_reaction","channel_id":200,"message_id":"901","emoji":"👍"}"#.utf8))
            == .addReaction(channel: 200, message: 901, emoji: "👍"))
    }

    @Test("a wrong document names the field and what is wrong", arguments: zip([
        #"{"service":"discord.send_message","channel_id":"x","message":{}}"#,
        #"{"service":"discord.nuke"}"#,
        #"["service"]"#,
        #"{"service":"jobs.schedule","job":"close","state":"1"}"#,
    ], [
        "discord.send_message.channel_id must be a snowflake",
        "unknown service 'discord.nuke'",
        "must be a JSON object",
        "jobs.schedule.at must be a number",
    ]))
    func serviceErrors(_ json: String, _ expected: String) {
        #expect {
            _ = try ServiceRequest(scanning: Array(json.utf8))
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test("manifest problems name the field", arguments: zip([
        #"{"cooldowns":[{"route":"roll","rate":"five","per":10,"scope":"user"}]}"#,
        #"{"jobs":[{"cron":"@daily"}]}"#,
        #"{"events":["MESSAGE_CREATE",7]}"#,
        #"{"commands":[1]}"#,
        #"{"commands":[{"name":"roll"}"#,
    ], [
        "cooldowns[0].rate must be an integer",
        "jobs[0].name is missing",
        "events[1] must be a string",
        "commands[0] must be an object",
        "manifest is not valid JSON",
    ]))
    func manifestErrors(_ json: String, _ expected: String) {
        #expect {
            _ = try ManifestDocument(scanning: Array(json.utf8))
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test("SQL values keep their type across the wire, blobs included")
    func sqlValues() throws {
        let request = SQLRequestDocument.single(SQLStatementDocument("SELECT ?", [
            .null, .integer(-9_223_372_036_854_775_808), .real(0.5), .text("é\n\"x\""), .blob([0, 1, 2, 255, 254]),
        ]))
        #expect(try SQLRequestDocument(scanning: request.encoded()) == request)
        let read = try SQLRequestDocument(scanning: Array(#"{"sql":"SELECT ?","params":[true,false,1e3]}"#.utf8))
        #expect(read == .single(SQLStatementDocument("SELECT ?", [.integer(1), .integer(0), .real(1000)])))
        let answer = SQLAnswerDocument.batch([SQLResultDocument(columns: ["a"], rows: [[.real(.infinity)]], changes: 1, lastInsertRowID: 2)])
        #expect(try SQLAnswerDocument(scanning: answer.encoded())
            == .batch([SQLResultDocument(columns: ["a"], rows: [[.null]], changes: 1, lastInsertRowID: 2)]))
    }

    @Test("an unreadable answer becomes an error document whose detail says why")
    func unreadableAnswer() {
        guard case .error(nil, let detail) = ResponseDocument(answer: Array("{\"kind\":\"mesage\"}".utf8)) else {
            Issue.record("an unknown kind was accepted")
            return
        }
        #expect(detail.contains("'mesage' is not message"))
    }

    @Test("event facts come from the ids the dispatch carries, by its family")
    func eventFacts() throws {
        let message = Array(#"{"id":"5","channel_id":"4","guild_id":"3","author":{"id":"2","username":"bob"}}"#.utf8)
        let facts = try message.withUnsafeBytes { try EventFacts(scanning: $0, event: "MESSAGE_CREATE", shard: 1) }
        #expect(facts == EventFacts(shard: 1, guild: 3, channel: 4, user: 2, message: 5))
        let guild = Array(#"{"id":"3","name":"Home","channels":[{"id":"9"}]}"#.utf8)
        #expect(try guild.withUnsafeBytes { try EventFacts(scanning: $0, event: "GUILD_CREATE", shard: 0) } == EventFacts(guild: 3))
        let join = Array(#"{"guild_id":"3","user":{"id":"8"},"roles":[]}"#.utf8)
        #expect(try join.withUnsafeBytes { try EventFacts(scanning: $0, event: "GUILD_MEMBER_ADD", shard: 0) } == EventFacts(guild: 3, user: 8))
    }
}
