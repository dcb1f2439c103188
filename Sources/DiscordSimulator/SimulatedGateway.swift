import DiscordModels
import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore

/// The gateway side of the simulator: one handler per WebSocket connection.
struct SimulatedGateway: Sendable {
    let state: SimulatorState
    let logger: Logger

    /// Where READY tells clients to resume: a different path, as on Discord.
    private var resumeURL: String { "ws://\(configuration.host):\(state.port)/resume-gw" }

    private var configuration: SimulatorConfiguration { state.configuration }

    /// Serves one connection: HELLO, then IDENTIFY or RESUME, heartbeats, and whatever the
    /// simulator dispatches or injects.
    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, compress: Bool) async throws {
        let connection = state.open()
        defer { state.close(connection) }
        connection.send(.frame(Array("{\"op\":10,\"s\":null,\"t\":null,\"d\":{\"heartbeat_interval\":\(configuration.heartbeatInterval)}}".utf8)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await write(connection.outbox, to: outbound, compress: compress) }
            group.addTask {
                defer { connection.finish() }
                for try await message in inbound.messages(maxSize: configuration.maxInboundFrameSize) {
                    guard case .text(let text) = message else {
                        connection.send(.close(4002))
                        return
                    }
                    handle(Array(text.utf8), from: connection)
                }
            }
            // Whichever side ends first ends the connection; a drop ends it with an error.
            try await group.next()
            group.cancelAll()
        }
    }

    private func write(_ outbox: AsyncStream<SimulatedConnection.Outgoing>, to outbound: WebSocketOutboundWriter, compress: Bool) async throws {
        let deflater = compress ? ZlibStreamDeflater() : nil
        for await outgoing in outbox {
            switch outgoing {
            case .frame(let frame):
                if let deflater {
                    try await outbound.write(.binary(ByteBuffer(bytes: deflater.compress(frame))))
                } else {
                    try await outbound.write(.text(String(decoding: frame, as: UTF8.self)))
                }
            case .close(let code):
                try await outbound.close(.unknown(code), reason: GatewayCloseCode(code).explanation)
                return
            case .drop:
                throw SimulatedDrop()
            }
        }
    }

    private func handle(_ frame: [UInt8], from connection: SimulatedConnection) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(frame)) as? [String: Any],
              let opcode = object["op"] as? Int else {
            connection.send(.close(4002))
            return
        }
        let data = object["d"]
        switch GatewayOpcode(rawValue: opcode) {
        case .heartbeat:
            state.withStorage { $0.statistics.heartbeats += 1 }
            if connection.acknowledgesHeartbeats { connection.send(.frame(Array("{\"op\":11,\"s\":null,\"t\":null,\"d\":null}".utf8))) }
        case .identify:
            identify(data as? [String: Any] ?? [:], on: connection)
        case .resume:
            let resume = data as? [String: Any] ?? [:]
            guard resume["token"] as? String == configuration.token else { return connection.send(.close(4004)) }
            let sessionID = resume["session_id"] as? String ?? ""
            let sequence = (resume["seq"] as? NSNumber)?.int64Value ?? 0
            if !state.resume(connection, sessionID: sessionID, after: sequence) {
                connection.send(.frame(Array("{\"op\":9,\"s\":null,\"t\":null,\"d\":false}".utf8)))
            }
        case .requestGuildMembers:
            state.requestMembers(data as? [String: Any] ?? [:], on: connection)
        case .presenceUpdate, .voiceStateUpdate:
            break
        default:
            connection.send(.close(4001))
        }
    }

    private func identify(_ identify: [String: Any], on connection: SimulatedConnection) {
        guard identify["token"] as? String == configuration.token else { return connection.send(.close(4004)) }
        guard connection.sessionID == nil else { return connection.send(.close(4005)) }
        guard let intents = (identify["intents"] as? NSNumber)?.uint64Value else { return connection.send(.close(4013)) }
        if intents >> 26 != 0 { return connection.send(.close(4013)) }
        if !GatewayIntents(rawValue: intents).isSubset(of: configuration.allowedIntents) { return connection.send(.close(4014)) }
        let shard = (identify["shard"] as? [Int]) ?? [0, 1]
        guard shard.count == 2, shard[1] >= 1, shard[0] >= 0, shard[0] < shard[1] else { return connection.send(.close(4010)) }
        if shard[1] < configuration.recommendedShards { return connection.send(.close(4011)) }
        state.identify(connection, shard: shard, intents: GatewayIntents(rawValue: intents), resumeURL: resumeURL)
    }

    /// Applies `fault` to every open connection.
    func inject(_ fault: GatewayFault) {
        for connection in state.openConnections {
            switch fault {
            case .dropConnection:
                connection.send(.drop)
            case .stopHeartbeatAcks:
                connection.acknowledgesHeartbeats = false
            case .reconnect:
                connection.send(.frame(Array("{\"op\":7,\"s\":null,\"t\":null,\"d\":null}".utf8)))
            case .invalidSession(let resumable, let closeSocket):
                if !resumable, let session = connection.sessionID {
                    state.forgetSession(session)
                    connection.sessionID = nil
                }
                connection.send(.frame(Array("{\"op\":9,\"s\":null,\"t\":null,\"d\":\(resumable)}".utf8)))
                if closeSocket { connection.send(.close(4000)) }
            case .close(let code):
                if !GatewayCloseCode(code).allowsResume, let session = connection.sessionID { state.forgetSession(session) }
                connection.send(.close(code))
            case .malformedFrame:
                connection.send(.frame(Array("{\"op\":0,\"t\":\"MESSAGE_CREATE\",\"d\":{\"id\":".utf8)))
            case .oversizedFrame(let bytes):
                var frame = Array("{\"op\":99,\"d\":\"".utf8)
                frame.append(contentsOf: repeatElement(UInt8(ascii: "x"), count: bytes))
                frame.append(contentsOf: Array("\"}".utf8))
                connection.send(.frame(frame))
            }
        }
    }
}

/// Thrown to end a connection abruptly.
struct SimulatedDrop: Error {}
