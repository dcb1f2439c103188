import DiscordModels
import Logging
import Metrics
import NIOCore
import Synchronization
import WSClient

/// One open socket of a shard: turns its frames into the machine's events and performs the
/// actions that need the socket (sends, the heartbeat timer, deliveries, closes). It ends when
/// the socket ends; the shard then tells the machine how.
final class GatewayConnection: Sendable {
    private typealias Action = GatewaySessionMachine.Action

    let shard: GatewayShard
    let outbound: WebSocketOutboundWriter
    /// Set at HELLO, which says how often heartbeats go out.
    private let pacer = Mutex<GatewaySendPacer?>(nil)
    /// When the next heartbeat is due; each new schedule replaces the last.
    private let heartbeats: AsyncStream<ContinuousClock.Instant>
    private let heartbeatSchedule: AsyncStream<ContinuousClock.Instant>.Continuation
    /// IDENTIFYs to send once the shard's turn comes. The turn can take many heartbeat
    /// intervals (shards wait for each other); frames keep being read meanwhile, so the
    /// heartbeat ACKs that keep the connection alive are seen.
    private let identifies: AsyncStream<Void>
    private let identifyRequest: AsyncStream<Void>.Continuation
    /// Guilds whose member list to ask for (op 8). The sends are paced with the others,
    /// so they wait in their own task: a burst of GUILD_CREATEs never holds up the reading.
    private let memberRequests: AsyncStream<Snowflake>
    private let memberRequest: AsyncStream<Snowflake>.Continuation

    init(shard: GatewayShard, outbound: WebSocketOutboundWriter) {
        self.shard = shard
        self.outbound = outbound
        (heartbeats, heartbeatSchedule) = AsyncStream.makeStream(of: ContinuousClock.Instant.self, bufferingPolicy: .bufferingNewest(1))
        (identifies, identifyRequest) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        (memberRequests, memberRequest) = AsyncStream.makeStream(of: Snowflake.self)
    }

    private var logger: Logger { shard.logger }
    private var configuration: GatewayConfiguration { shard.configuration }

    /// Performs `opening` (what `.connected` asked for), then serves the socket until it ends.
    func serve(inbound: WebSocketInboundStream, opening: [GatewaySessionMachine.Action]) async throws {
        let inflater = configuration.compression ? try ZlibStreamInflater() : nil
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.beatWhenDue() }
            group.addTask { try await self.identifyWhenItIsOurTurn() }
            group.addTask { try await self.requestMemberLists() }
            defer {
                heartbeatSchedule.finish()
                identifyRequest.finish()
                memberRequest.finish()
                group.cancelAll()
            }
            try await perform(opening, frame: nil)
            do {
                for try await message in inbound.messages(maxSize: configuration.maxMessageSize) {
                    let frame: [UInt8]
                    switch message {
                    case .text(let text):
                        frame = Array(text.utf8)
                    case .binary(let buffer):
                        guard let inflater else {
                            frame = Array(buffer.readableBytesView)
                            break
                        }
                        guard let whole = try inflater.append(buffer.readableBytesView, limit: configuration.maxMessageSize) else {
                            continue
                        }
                        frame = whole
                    }
                    try await receive(frame)
                }
            } catch let error as GatewayError {
                // The stream cannot be read past this point; the shard reconnects and resumes.
                logger.error("closing the connection: \(error)")
                try? await outbound.close(.unknown(shard.rules.resumableCloseCode), reason: "unreadable message")
                throw error
            }
        }
    }

    /// Sends a heartbeat each time the schedule comes due, until the socket ends.
    private func beatWhenDue() async throws {
        for await due in heartbeats {
            try await Task.sleep(until: due, clock: .continuous)
            try await perform(shard.handle(.heartbeatDue), frame: nil)
        }
    }

    private func identifyWhenItIsOurTurn() async throws {
        for await _ in identifies { try await identify() }
    }

    private func requestMemberLists() async throws {
        for await guild in memberRequests {
            try await send(opcode: .requestGuildMembers, GatewayRequestGuildMembers(guildID: guild))
        }
    }

    private func receive(_ frame: [UInt8]) async throws {
        let envelope: GatewayFrameEnvelope
        do {
            envelope = try frame.withUnsafeBytes { try GatewayFrameEnvelope(frame: $0) }
        } catch {
            logger.warning("ignored a malformed gateway frame", metadata: ["bytes": "\(frame.count)", "error": "\(error)"])
            return
        }
        let event: GatewaySessionMachine.Event
        switch GatewayOpcode(rawValue: envelope.opcode) {
        case .dispatch:
            guard let name = envelope.eventName, let sequence = envelope.sequence, envelope.payloadRange != nil else {
                logger.debug("ignored a dispatch without a name, sequence or payload")
                return
            }
            var ready: GatewaySessionMachine.ReadyFacts?
            if name == .ready {
                let decoded = try decode(ReadyEvent.self, from: frame, envelope: envelope)
                ready = .init(sessionID: decoded.sessionID, resumeURL: decoded.resumeGatewayURL)
                logger.info("ready", metadata: ["session": "\(decoded.sessionID)", "guilds": "\(decoded.guilds.count)"])
            } else if name == .resumed {
                Counter(label: "cogwheel_gateway_resumes_total", dimensions: [("shard", "\(shard.id)")]).increment()
                logger.info("resumed", metadata: ["seq": "\(sequence)"])
            }
            event = .dispatch(name, sequence: sequence, ready: ready)
        case .heartbeat:
            event = .heartbeatRequested
        case .reconnect:
            event = .reconnectRequested
        case .invalidSession:
            let resumable = envelope.payloadRange.map { Array(frame[$0]) == Array("true".utf8) } ?? false
            event = .invalidSession(resumable: resumable)
        case .hello:
            let hello = try decode(GatewayHello.self, from: frame, envelope: envelope)
            if shard.rules.heartbeatIntervalBounds.contains(hello.heartbeatInterval) {
                // Before the identify it leads to, which counts toward the limit too.
                pacer.withLock {
                    $0 = GatewaySendPacer(limit: configuration.sendLimit, window: configuration.sendWindow,
                                          heartbeatInterval: .milliseconds(hello.heartbeatInterval))
                }
            }
            event = .hello(heartbeatIntervalMilliseconds: hello.heartbeatInterval)
        case .heartbeatAck:
            event = .heartbeatAcknowledged
        default:
            logger.debug("ignored a frame with an unknown opcode", metadata: ["op": "\(envelope.opcode)"])
            return
        }
        try await perform(shard.handle(event), frame: (frame, envelope))
        if case .heartbeatAcknowledged = event, let latency = shard.latency {
            Gauge(label: "cogwheel_gateway_heartbeat_latency_seconds", dimensions: [("shard", "\(shard.id)")])
                .record(latency.milliseconds / 1000)
        }
    }

    /// Performs what the machine asked for on this socket. `frame` is the one just fed, for `.deliver`.
    private func perform(_ actions: [Action], frame: ([UInt8], GatewayFrameEnvelope)?) async throws {
        for action in actions {
            switch action {
            case .sendIdentify:
                identifyRequest.yield()
            case .sendResume(let sessionID, let sequence):
                let resume = GatewayResume(token: configuration.token.secret, sessionID: sessionID, sequence: sequence)
                try await send(opcode: .resume, resume)
            case .sendHeartbeat(let sequence):
                try await paced(heartbeat: true)
                try await outbound.write(.text("{\"op\":1,\"d\":\(sequence.map(String.init) ?? "null")}"))
            case .scheduleHeartbeat(let delay):
                heartbeatSchedule.yield(.now + delay)
            case .deliver:
                guard let (bytes, envelope) = frame, let name = envelope.eventName, let sequence = envelope.sequence,
                      let range = envelope.payloadRange else { continue }
                await shard.onDispatch(GatewayDispatch(shardID: shard.id, name: name, sequence: sequence, frame: bytes,
                                                       payloadRange: range))
                if name == .guildCreate, configuration.requestsMemberLists, configuration.intents.contains(.guildMembers),
                   let guild = bytes.withUnsafeBytes({
                       MemberListRequests.guildMissingMembers(in: UnsafeRawBufferPointer(rebasing: $0[range]),
                                                              presences: configuration.intents.contains(.guildPresences))
                   }) {
                    memberRequest.yield(guild)
                }
            case .close(let code, let cause):
                logger.log(level: cause == .stopping ? .info : .notice, "closing the connection: \(cause)")
                try await outbound.close(.unknown(code), reason: "\(cause)".prefix(100).description)
            case .connect, .reconnect, .stopped, .fail:
                // Only the end of the socket leads to these, and the shard feeds that.
                logger.error("a shard action came while a socket was open", metadata: ["action": "\(action)"])
            }
        }
    }

    private func identify() async throws {
        while true {
            do {
                try await shard.identifyLimiter.waitForTurn(shardID: shard.id)
                break
            } catch GatewayError.sessionStartLimitExhausted(let resetAfter) {
                logger.critical("session start limit reached; waiting for Discord to reset it",
                                metadata: ["reset_after_s": "\(resetAfter / 1000)"])
                try await Task.sleep(for: .milliseconds(max(resetAfter, 1000)))
            }
        }
        let identify = GatewayIdentify(token: configuration.token.secret, intents: configuration.intents, shard: shard.id,
                                       shardCount: shard.count, presence: configuration.presence)
        try await send(opcode: .identify, identify)
    }

    /// Waits until the send limit admits one more send.
    private func paced(heartbeat: Bool) async throws {
        while let wait = pacer.withLock({ $0?.admit(heartbeat: heartbeat, at: .now) }) {
            try await Task.sleep(for: wait)
        }
    }

    private func send(opcode: GatewayOpcode, _ data: some Encodable) async throws {
        try await paced(heartbeat: false)
        let bytes = try JSONCoding.encode(GatewayOutboundFrame(opcode: opcode, data: data))
        try await outbound.write(.text(String(decoding: bytes, as: UTF8.self)))
    }

    private func decode<T: Decodable>(_ type: T.Type, from frame: [UInt8], envelope: GatewayFrameEnvelope) throws -> T {
        guard let range = envelope.payloadRange else { throw GatewayError.malformedFrame("op \(envelope.opcode) without d") }
        do {
            return try JSONCoding.decode(type, from: Array(frame[range]))
        } catch {
            throw GatewayError.malformedFrame("op \(envelope.opcode) \(envelope.eventName?.rawValue ?? ""): \(error)")
        }
    }
}
