import DiscordModels
import Foundation
import Logging
import Metrics
import NIOCore
import Synchronization
import WSClient

/// One WebSocket connection of a shard: HELLO, identify or resume, heartbeats, dispatches.
/// It ends when the socket closes and tells the shard why (``End``).
final class GatewayConnection: Sendable {
    /// Closing with this code keeps the session resumable (1000 and 1001 would end it).
    static let resumableCloseCode: UInt16 = 4000

    /// Why a connection ended, which decides what the shard does next.
    enum End: Sendable {
        /// The shard was asked to stop.
        case stopped
        /// Reconnect at once and resume (op 7, op 9 with `d: true`, a zombie connection).
        case reconnect
        /// Discord closed the socket with this code.
        case closed(GatewayCloseCode)
        /// The transport failed; reconnect after a back-off.
        case failed(String)
    }

    private struct Outcome {
        var end: End?
        var established = false
    }

    private let shard: GatewayShard
    private let outcome = Mutex(Outcome())
    /// Set once HELLO says how often heartbeats go out.
    private let sendLimiter = Mutex<GatewaySendLimiter?>(nil)

    init(shard: GatewayShard) {
        self.shard = shard
    }

    var end: End { outcome.withLock { $0.end } ?? .failed("the connection closed") }
    var established: Bool { outcome.withLock { $0.established } }

    /// Records how the socket ended, unless the connection already decided why.
    func finish(closeCode: UInt16?) {
        outcome.withLock { outcome in
            guard outcome.end == nil else { return }
            if let closeCode { outcome.end = .closed(GatewayCloseCode(closeCode)) }
        }
    }

    func finish(error: any Error) {
        outcome.withLock { outcome in
            if outcome.end == nil { outcome.end = .failed("\(error)") }
        }
    }

    private func decide(_ end: End) {
        outcome.withLock { if $0.end == nil { $0.end = end } }
    }

    /// Runs the connection until the socket closes.
    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        guard shard.attach(outbound) else {
            decide(.stopped)
            try await outbound.close(.unknown(Self.resumableCloseCode), reason: "restarting")
            return
        }
        defer { _ = shard.attach(nil) }
        let inflater = shard.configuration.compression ? try ZlibStreamInflater() : nil
        try await withThrowingTaskGroup(of: Void.self) { group in
            do {
                let maxMessageSize = shard.configuration.maxMessageSize
                for try await message in inbound.messages(maxSize: maxMessageSize) {
                    let frame: [UInt8]
                    switch message {
                    case .text(let text):
                        frame = Array(text.utf8)
                    case .binary(let buffer):
                        if let inflater {
                            guard let whole = try inflater.append(buffer.readableBytesView, limit: maxMessageSize) else {
                                continue
                            }
                            frame = whole
                        } else {
                            frame = Array(buffer.readableBytesView)
                        }
                    }
                    try await handle(frame, outbound: outbound, group: &group)
                }
            } catch let error as GatewayError {
                shard.logger.error("closing the connection: \(error)")
                decide(.failed(error.description))
                try? await outbound.close(.unknown(Self.resumableCloseCode), reason: "unreadable message")
            }
            group.cancelAll()
        }
    }

    private func handle(
        _ frame: [UInt8], outbound: WebSocketOutboundWriter, group: inout ThrowingTaskGroup<Void, any Error>
    ) async throws {
        let envelope: GatewayFrameEnvelope
        do {
            envelope = try frame.withUnsafeBytes { try GatewayFrameEnvelope(frame: $0) }
        } catch {
            shard.logger.warning("ignored a malformed gateway frame", metadata: ["bytes": "\(frame.count)", "error": "\(error)"])
            return
        }
        switch GatewayOpcode(rawValue: envelope.opcode) {
        case .dispatch:
            try await dispatch(frame, envelope: envelope)
        case .heartbeat:
            _ = shard.beat()
            try await sendHeartbeat(outbound)
        case .reconnect:
            shard.logger.info("the gateway asked for a reconnect (op 7); resuming")
            decide(.reconnect)
            try await outbound.close(.unknown(Self.resumableCloseCode), reason: "reconnect requested")
        case .invalidSession:
            let resumable = envelope.payloadRange.map { Array(frame[$0]) == Array("true".utf8) } ?? false
            if resumable {
                shard.logger.info("invalid session (op 9, resumable); reconnecting to resume")
                decide(.reconnect)
                try await outbound.close(.unknown(Self.resumableCloseCode), reason: "resuming")
            } else {
                let delay = Double.random(in: shard.configuration.invalidSessionDelay)
                shard.logger.notice("invalid session (op 9); identifying again", metadata: ["after_s": "\(delay)"])
                shard.forgetSession()
                try await Task.sleep(for: .seconds(delay))
                try await identify(outbound)
            }
        case .hello:
            let hello = try decode(GatewayHello.self, from: frame, envelope: envelope)
            let interval = Duration.milliseconds(hello.heartbeatInterval)
            let limiter = GatewaySendLimiter(limit: shard.configuration.sendLimit, window: shard.configuration.sendWindow,
                                             heartbeatInterval: interval)
            sendLimiter.withLock { $0 = limiter }
            group.addTask { try await self.heartbeat(every: interval, outbound: outbound) }
            if let session = shard.session {
                shard.updateStatus { $0.state = .resuming }
                let resume = GatewayResume(token: shard.configuration.token.secret, sessionID: session.sessionID,
                                           sequence: shard.lastSequence ?? session.sequence)
                try await send(opcode: .resume, resume, outbound: outbound)
            } else {
                try await identify(outbound)
            }
        case .heartbeatAck:
            shard.acknowledge()
        default:
            shard.logger.debug("ignored a frame with an unknown opcode", metadata: ["op": "\(envelope.opcode)"])
        }
    }

    private func dispatch(_ frame: [UInt8], envelope: GatewayFrameEnvelope) async throws {
        guard let name = envelope.eventName, let sequence = envelope.sequence, let range = envelope.payloadRange else {
            shard.logger.debug("ignored a dispatch without a name, sequence or payload")
            return
        }
        guard shard.advance(to: sequence) else {
            shard.logger.debug("skipped an event already processed", metadata: ["event": "\(name)", "seq": "\(sequence)"])
            return
        }
        switch name {
        case "READY":
            let ready = try decode(ReadyEvent.self, from: frame, envelope: envelope)
            shard.startSession(id: ready.sessionID, resumeURL: ready.resumeGatewayURL)
            outcome.withLock { $0.established = true }
            shard.logger.info("ready", metadata: ["session": "\(ready.sessionID)", "guilds": "\(ready.guilds.count)"])
        case "RESUMED":
            shard.updateStatus { $0.state = .ready; $0.resumes += 1 }
            Counter(label: "cogwheel_gateway_resumes_total", dimensions: [("shard", "\(shard.id)")]).increment()
            outcome.withLock { $0.established = true }
            shard.logger.info("resumed", metadata: ["seq": "\(sequence)"])
        default:
            break
        }
        await shard.onDispatch(GatewayDispatch(shardID: shard.id, name: name, sequence: sequence, frame: frame,
                                               payloadRange: range))
    }

    private func identify(_ outbound: WebSocketOutboundWriter) async throws {
        shard.updateStatus { $0.state = .identifying }
        while true {
            do {
                try await shard.identifyLimiter.waitForTurn(shardID: shard.id)
                break
            } catch GatewayError.sessionStartLimitExhausted(let resetAfter) {
                shard.logger.critical("session start limit reached; waiting for Discord to reset it",
                                      metadata: ["reset_after_s": "\(resetAfter / 1000)"])
                try await Task.sleep(for: .milliseconds(max(resetAfter, 1000)))
            }
        }
        let configuration = shard.configuration
        let identify = GatewayIdentify(token: configuration.token.secret, intents: configuration.intents, shard: shard.id,
                                       shardCount: shard.count, presence: configuration.presence)
        shard.updateStatus { $0.identifies += 1 }
        try await send(opcode: .identify, identify, outbound: outbound)
    }

    private func heartbeat(every interval: Duration, outbound: WebSocketOutboundWriter) async throws {
        try await Task.sleep(for: interval * Double.random(in: 0.05...1))
        while true {
            guard shard.beat() else {
                shard.logger.warning("no heartbeat ACK since the last beat: zombie connection; reconnecting to resume")
                decide(.reconnect)
                try await outbound.close(.unknown(Self.resumableCloseCode), reason: "zombie connection")
                return
            }
            try await sendHeartbeat(outbound)
            try await Task.sleep(for: interval)
        }
    }

    private func sendHeartbeat(_ outbound: WebSocketOutboundWriter) async throws {
        let sequence = shard.lastSequence.map(String.init) ?? "null"
        try await sendLimiter.withLock { $0 }?.acquire(heartbeat: true)
        try await outbound.write(.text("{\"op\":1,\"d\":\(sequence)}"))
    }

    private func send(opcode: GatewayOpcode, _ data: some Encodable, outbound: WebSocketOutboundWriter) async throws {
        try await sendLimiter.withLock { $0 }?.acquire(heartbeat: false)
        let bytes = try JSONCoding.encode(GatewayOutboundFrame(opcode: opcode, data: data))
        try await outbound.write(.text(String(decoding: bytes, as: UTF8.self)))
    }

    private func decode<T: Decodable>(_ type: T.Type, from frame: [UInt8], envelope: GatewayFrameEnvelope) throws -> T {
        guard let range = envelope.payloadRange else { throw GatewayError.malformedFrame("op \(envelope.opcode) without d") }
        do {
            return try JSONCoding.decode(type, from: Array(frame[range]))
        } catch {
            throw GatewayError.malformedFrame("op \(envelope.opcode) \(envelope.eventName ?? ""): \(error)")
        }
    }
}
