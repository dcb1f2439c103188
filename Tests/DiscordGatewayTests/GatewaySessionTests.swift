import BotTestSupport
import DiscordGateway
import DiscordModels
import DiscordSimulator
import Foundation
import Testing

@Suite("Gateway sessions: heartbeats, resume, reconnect, invalid sessions, close codes")
struct GatewaySessionTests {
    @Test("a full handshake: HELLO, IDENTIFY, READY with the guilds, GUILD_CREATE", arguments: [true, false])
    func handshake(compression: Bool) async throws {
        try await GatewayHarness.withShard(gateway: { $0.compression = compression }) { harness in
            #expect(harness.discord.statistics.identifies == 1)
            #expect(harness.shard.status.sessionID != nil)
            #expect(harness.events.payloads(of: "READY").count == 1)
            try await BotHarness.waitUntil("the guild arrived") { harness.events.payloads(of: "GUILD_CREATE").count == 1 }
            try await BotHarness.waitUntil("a heartbeat was acknowledged", timeout: .seconds(5)) { harness.shard.status.latency != nil }
        }
    }

    @Test("after a dropped connection the shard resumes: no event lost, none processed twice")
    func resumeAfterDrop() async throws {
        try await GatewayHarness.withShard { harness in
            let session = harness.shard.status.sessionID
            harness.dispatchNumbered(0..<5)
            try await BotHarness.waitUntil("5 events") { harness.receivedNumbers.count == 5 }
            harness.discord.inject(.dropConnection)
            harness.dispatchNumbered(5..<20)
            try await BotHarness.waitUntil("the shard resumed") { harness.discord.statistics.resumes == 1 }
            harness.dispatchNumbered(20..<25)
            try await BotHarness.waitUntil("25 events") { harness.receivedNumbers.count >= 25 }
            #expect(harness.receivedNumbers == Array(0..<25))
            #expect(harness.discord.statistics.identifies == 1)
            #expect(harness.shard.status.sessionID == session)
            let sequences = harness.events.sequences
            #expect(sequences == sequences.sorted() && Set(sequences).count == sequences.count)
        }
    }

    @Test("a zombie connection (no heartbeat ACK) is closed and resumed")
    func zombieConnection() async throws {
        try await GatewayHarness.withShard(simulator: { $0.heartbeatInterval = 150 }) { harness in
            // Counted from here: on a loaded machine a 150 ms interval can already have cost
            // the first connection its session (a late ACK before READY), which is not this test.
            let before = harness.discord.statistics
            harness.discord.inject(.stopHeartbeatAcks)
            try await BotHarness.waitUntil("the shard resumed") { harness.discord.statistics.resumes == before.resumes + 1 }
            #expect(harness.discord.statistics.identifies == before.identifies)
            harness.dispatchNumbered(0..<3)
            try await BotHarness.waitUntil("events flow again") { harness.receivedNumbers == [0, 1, 2] }
        }
    }

    @Test("op 7 makes the shard reconnect and resume")
    func reconnectRequest() async throws {
        try await GatewayHarness.withShard { harness in
            harness.discord.inject(.reconnect)
            try await BotHarness.waitUntil("the shard resumed") { harness.discord.statistics.resumes == 1 }
            #expect(harness.discord.statistics.identifies == 1)
            #expect(harness.discord.statistics.connections == 2)
        }
    }

    @Test("op 9 with d=true resumes; with d=false the shard identifies a new session", arguments: [false, true])
    func invalidSession(closeSocket: Bool) async throws {
        try await GatewayHarness.withShard { harness in
            let first = harness.shard.status.sessionID
            harness.discord.inject(.invalidSession(resumable: true, closeSocket: closeSocket))
            try await BotHarness.waitUntil("the shard resumed") { harness.discord.statistics.resumes == 1 }
            #expect(harness.shard.status.sessionID == first)

            harness.discord.inject(.invalidSession(resumable: false, closeSocket: closeSocket))
            try await BotHarness.waitUntil("a new session") { harness.discord.statistics.identifies == 2 && harness.shard.status.state == .ready }
            #expect(harness.shard.status.sessionID != first)
            harness.dispatchNumbered(0..<2)
            try await BotHarness.waitUntil("events on the new session") { harness.receivedNumbers == [0, 1] }
        }
    }

    @Test("op 9 d=false with the socket left open: a new IDENTIFY on a new connection 1–5 s later")
    func invalidSessionWithTheSocketLeftOpen() async throws {
        // Discord's own pause, not the harness's shortened one.
        try await GatewayHarness.withShard(gateway: { $0.invalidSessionDelay = 1...5 }) { harness in
            let connections = harness.discord.statistics.connections
            let injected = ContinuousClock.now
            harness.discord.inject(.invalidSession(resumable: false, closeSocket: false))
            try await BotHarness.waitUntil("a second IDENTIFY", timeout: .seconds(10)) { harness.discord.statistics.identifies == 2 }
            let waited = ContinuousClock.now - injected
            // The pause is 1–5 s; on top come the new connection, HELLO and the IDENTIFY, which the
            // whole suite running beside this test on 2 cores has been seen to stretch by 0.8 s.
            #expect(waited >= .seconds(1) && waited <= .milliseconds(7000), "identified again after \(waited)")
            #expect(harness.discord.statistics.connections == connections + 1, "the new IDENTIFY went on a new connection")
            try await BotHarness.waitUntil("ready on the new session") { harness.shard.status.state == .ready }
            harness.dispatchNumbered(0..<2)
            try await BotHarness.waitUntil("events on the new session") { harness.receivedNumbers == [0, 1] }
        }
    }

    @Test("a fatal close code stops the shard with the cause and never reconnects", arguments: [4004, 4010, 4011, 4012, 4013, 4014] as [UInt16])
    func fatalCloseCode(code: UInt16) async throws {
        let ended = try await GatewayHarness.withShard { harness in
            harness.discord.inject(.close(code: code))
            try await BotHarness.waitUntil("the shard failed") { harness.shard.status.state == .failed }
            try await Task.sleep(for: .milliseconds(200))
            #expect(harness.discord.statistics.connections == 1)
            #expect(harness.shard.status.failure?.contains(String(code)) == true)
        }
        let error = try #require(ended as? GatewayError)
        #expect(error == .fatalClose(GatewayCloseCode(code)))
        #expect(error.description.contains("\(code)"))
    }

    @Test("a wrong token ends with 4004 and a message about the token, which never appears in it")
    func wrongToken() async throws {
        let ended = try await GatewayHarness.withShard(token: "wrong-token-value", waitForReady: false) { harness in
            try await BotHarness.waitUntil("the shard failed") { harness.shard.status.state == .failed }
        }
        let error = try #require(ended as? GatewayError)
        #expect(error == .fatalClose(GatewayCloseCode(4004)))
        #expect(error.description.contains("DISCORD_TOKEN"))
        #expect(!error.description.contains("wrong-token-value"))
    }

    @Test("a malformed frame is skipped; the connection stays up")
    func malformedFrame() async throws {
        try await GatewayHarness.withShard { harness in
            harness.discord.inject(.malformedFrame)
            harness.dispatchNumbered(0..<2)
            try await BotHarness.waitUntil("events still flow") { harness.receivedNumbers == [0, 1] }
            #expect(harness.discord.statistics.connections == 1)
        }
    }

    @Test("an oversized frame closes the connection, which resumes")
    func oversizedFrame() async throws {
        try await GatewayHarness.withShard(gateway: { $0.maxMessageSize = 64 << 10 }) { harness in
            harness.discord.inject(.oversizedFrame(bytes: 256 << 10))
            harness.dispatchNumbered(0..<3)
            try await BotHarness.waitUntil("the shard resumed") { harness.discord.statistics.resumes == 1 }
            try await BotHarness.waitUntil("events after the resume") { harness.receivedNumbers == [0, 1, 2] }
        }
    }

    /// The resume replays the event before RESUMED, so each resume fails and the second failed
    /// one drops the session (`failedResumesBeforeIdentify`).
    @Test("an event over the limit that every resume replays costs one new session, not an endless resume loop")
    func alwaysOversizedEvent() async throws {
        try await GatewayHarness.withShard(gateway: { $0.maxMessageSize = 64 << 10 }) { harness in
            harness.dispatchNumbered(0..<1)
            try await BotHarness.waitUntil("the first event") { harness.receivedNumbers == [0] }
            let huge = "{\"content\":\"" + String(repeating: "x", count: 200 << 10) + "\"}"
            harness.discord.dispatch("MESSAGE_CREATE", data: Array(huge.utf8))
            try await BotHarness.waitUntil("a new session", timeout: .seconds(20)) { harness.discord.statistics.identifies == 2 }
            harness.dispatchNumbered(1..<2)
            try await BotHarness.waitUntil("events flow in the new session") { harness.receivedNumbers == [0, 1] }
            #expect(harness.discord.statistics.resumes <= 2)
            #expect(harness.shard.status.state == .ready)
        }
    }

    @Test("a saved session whose resume URL is unreachable falls back to a new session")
    func unreachableResumeURL() async throws {
        let stale = ResumableSession(shardID: 0, sessionID: "gone", sequence: 42, resumeURL: "ws://127.0.0.1:9/resume-gw")
        try await GatewayHarness.withShard(resuming: stale) { harness in
            #expect(harness.discord.statistics.identifies == 1)
            #expect(harness.shard.status.sessionID != "gone")
        }
    }
}
