import DiscordModels
import Foundation
import Synchronization

/// Everything the simulated Discord knows, behind one lock.
final class SimulatorState: Sendable {
    struct Interaction {
        var token: String
        var applicationID: Snowflake
        var acknowledged = false
        var answers: [RecordedAnswer] = []
        /// Whether a session (connected or waiting to be resumed) received it. Discord
        /// delivers an interaction to nobody while the bot has no session, as after op 9.
        var delivered = false
    }

    struct Storage {
        var port = 0
        var factory = InteractionFactory(applicationID: 0)
        var statistics = SimulatorStatistics()
        var connections: [Int: SimulatedConnection] = [:]
        var nextConnectionID = 0
        var sessions: [String: SimulatedSession] = [:]
        var globalCommands: [ApplicationCommand] = []
        var guildCommands: [Snowflake: [ApplicationCommand]] = [:]
        var interactions: [Snowflake: Interaction] = [:]
        var interactionsByToken: [String: Snowflake] = [:]
        var channelMessages: [Snowflake: [[UInt8]]] = [:]
        /// Messages posted to channels, by id, as last edited.
        var postedMessages: [Snowflake: SimulatedMessage] = [:]
        /// Follow-up messages, with the token of their interaction.
        var followUps: [Snowflake: String] = [:]
        var requests: [RecordedRequest] = []
        var restFaults: [RESTFault] = []
        var nextMessageID: UInt64 = 0
        var waiters: [Snowflake: [CheckedContinuation<Void, Never>]] = [:]
        /// Callers of ``SimulatorState/waitForRequests(beyond:timeout:)``: the count they wait past.
        var requestWaiters: [(id: UUID, count: Int, continuation: CheckedContinuation<Void, Never>)] = []
        /// The guilds' members, roles, channels, voice states and bans, changed by ``DiscordSimulator``'s world methods.
        var world: SimulatedWorld
    }

    let configuration: SimulatorConfiguration
    let storage: Mutex<Storage>

    init(configuration: SimulatorConfiguration) {
        self.configuration = configuration
        self.storage = Mutex(Storage(world: SimulatedWorld(configuration: configuration)))
    }

    func withStorage<T>(_ body: (inout Storage) throws -> T) rethrows -> T {
        try storage.withLock { try body(&$0) }
    }

    /// The port the simulator listens on.
    var port: Int { storage.withLock { $0.port } }

    // MARK: Gateway

    func open() -> SimulatedConnection {
        storage.withLock { storage in
            storage.nextConnectionID += 1
            storage.statistics.connections += 1
            let connection = SimulatedConnection(id: storage.nextConnectionID)
            storage.connections[connection.id] = connection
            return connection
        }
    }

    func close(_ connection: SimulatedConnection) {
        storage.withLock { storage in
            storage.connections[connection.id] = nil
            if let sessionID = connection.sessionID, storage.sessions[sessionID]?.connectionID == connection.id {
                storage.sessions[sessionID]?.connectionID = nil
            }
        }
        connection.finish()
    }

    /// Starts a session on `connection` and sends READY and a GUILD_CREATE per guild.
    func identify(_ connection: SimulatedConnection, shard: [Int], intents: GatewayIntents, resumeURL: String) {
        storage.withLock { storage in
            let sessionID = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            storage.statistics.identifies += 1
            storage.sessions[sessionID] = SimulatedSession(id: sessionID, shard: shard, intents: intents, connectionID: connection.id)
            connection.sessionID = sessionID
            let guilds = guilds(forShard: shard, in: storage.world)
            let ready = SimulatedPayloads.ready(configuration: configuration, sessionID: sessionID, guilds: guilds,
                                                shard: shard, resumeURL: resumeURL)
            emit(&storage, session: sessionID, event: "READY", data: ready)
            for guild in guilds {
                let payload = SimulatedPayloads.guildCreate(guild, world: storage.world, bot: configuration,
                                                            withPresences: intents.contains(.guildPresences))
                emit(&storage, session: sessionID, event: "GUILD_CREATE", data: payload)
            }
        }
    }

    /// Attaches `connection` to an existing session and replays what the client missed;
    /// `false` when the session is unknown (the caller sends op 9).
    func resume(_ connection: SimulatedConnection, sessionID: String, after sequence: Int64) -> Bool {
        storage.withLock { storage in
            guard var session = storage.sessions[sessionID], sequence <= session.sequence else { return false }
            if let previous = session.connectionID, previous != connection.id {
                storage.connections[previous]?.send(.close(4000))
            }
            storage.statistics.resumes += 1
            session.connectionID = connection.id
            storage.sessions[sessionID] = session
            connection.sessionID = sessionID
            for entry in session.log where entry.sequence > sequence {
                connection.send(.frame(entry.frame))
            }
            emit(&storage, session: sessionID, event: "RESUMED", data: Array("{}".utf8))
            return true
        }
    }

    /// Emits `event` to every session whose shard sees `guild` (all when `nil`), whatever its
    /// intents; a session whose connection is down keeps it for replay. Returns how many did.
    @discardableResult
    func broadcast(event: String, data: [UInt8], guild: Snowflake?) -> Int {
        storage.withLock { storage in broadcast(&storage, event: event, data: data, guild: guild, byIntent: false) }
    }

    /// Emits `event` as Discord would, to each session that sees `guild` and identified with an
    /// intent of the event; sessions without MESSAGE_CONTENT get `withoutContent` when given.
    @discardableResult
    func broadcast(_ storage: inout Storage, event: String, data: [UInt8], guild: Snowflake?, byIntent: Bool,
                   withoutContent: [UInt8]? = nil) -> Int {
        var needed = GatewayEventName(event).intents ?? []
        // A guild's event needs the guild intent; the direct-message ones are for DMs.
        if guild != nil { needed.subtract([.directMessages, .directMessageReactions, .directMessageTyping, .directMessagePolls]) }
        // The ids first: iterating the sessions while emitting would hold a second reference
        // to every session's replay log, and each append would copy it.
        let recipients = storage.sessions.compactMap { id, session -> (String, Bool)? in
            guard guild.map({ Self.shard(of: $0, count: session.shard[1]) == session.shard[0] }) ?? true else { return nil }
            guard !byIntent || needed.isEmpty || !needed.isDisjoint(with: session.intents) else { return nil }
            return (id, session.intents.contains(.messageContent))
        }
        for (id, readsContent) in recipients {
            emit(&storage, session: id, event: event, data: readsContent ? data : (withoutContent ?? data))
        }
        return recipients.count
    }

    func emit(_ storage: inout Storage, session id: String, event: String, data: [UInt8]) {
        // The session is changed in place, never copied out, for the same reason.
        guard let sequence = storage.sessions[id].map({ $0.sequence + 1 }) else { return }
        var frame = Array("{\"op\":0,\"s\":\(sequence),\"t\":\"\(event)\",\"d\":".utf8)
        frame.append(contentsOf: data)
        frame.append(UInt8(ascii: "}"))
        storage.sessions[id]?.sequence = sequence
        storage.sessions[id]?.log.append((sequence, frame))
        if let logged = storage.sessions[id]?.log.count, logged > configuration.replayBufferSize {
            storage.sessions[id]?.log.removeFirst(logged / 2)
        }
        storage.statistics.dispatched += 1
        if let connection = storage.sessions[id]?.connectionID.flatMap({ storage.connections[$0] }) {
            connection.send(.frame(frame))
        }
    }

    /// Op 8: answers with GUILD_MEMBERS_CHUNK dispatches, up to 1,000 members each, of the
    /// members whose username starts with `query` or whose id is in `user_ids`. The whole list
    /// (`query` "" and `limit` 0) needs the GUILD_MEMBERS intent; without it nothing is sent.
    func requestMembers(_ request: [String: Any], on connection: SimulatedConnection) {
        storage.withLock { storage in
            guard let sessionID = connection.sessionID, let session = storage.sessions[sessionID] else { return }
            let guilds = ((request["guild_id"] as? [String]) ?? [(request["guild_id"] as? String) ?? ""]).compactMap { UInt64($0) }
            let query = (request["query"] as? String)?.lowercased()
            let limit = (request["limit"] as? Int) ?? 0
            let ids = Set(((request["user_ids"] as? [String]) ?? (request["user_ids"] as? String).map { [$0] } ?? []).compactMap { UInt64($0) })
            if ids.isEmpty, query?.isEmpty ?? true, !session.intents.contains(.guildMembers) { return }
            for guild in guilds.map({ Snowflake($0) }) {
                var members = (storage.world.members[guild] ?? [:]).filter { id, member in
                    ids.isEmpty ? member.username.lowercased().hasPrefix(query ?? "") : ids.contains(id.rawValue)
                }.map { SimulatedPayloads.member($0.key, $0.value, guild: nil) }
                if limit > 0 { members = Array(members.prefix(limit)) }
                let chunks = stride(from: 0, to: max(members.count, 1), by: 1000).map { Array(members[$0..<min($0 + 1000, members.count)]) }
                for (index, chunk) in chunks.enumerated() {
                    var payload: [String: Any] = ["guild_id": guild.description, "members": chunk, "chunk_index": index,
                                                  "chunk_count": chunks.count]
                    if let nonce = request["nonce"] as? String { payload["nonce"] = nonce }
                    emit(&storage, session: sessionID, event: "GUILD_MEMBERS_CHUNK", data: SimulatedPayloads.json(payload))
                }
            }
        }
    }

    func forgetSession(_ id: String) {
        storage.withLock { _ = $0.sessions.removeValue(forKey: id) }
    }

    var openConnections: [SimulatedConnection] {
        storage.withLock { Array($0.connections.values) }
    }

    static func shard(of guild: Snowflake, count: Int) -> Int {
        Int((guild.rawValue >> 22) % UInt64(max(1, count)))
    }

    private func guilds(forShard shard: [Int], in world: SimulatedWorld) -> [SimulatorConfiguration.Guild] {
        world.guilds(in: configuration).filter { Self.shard(of: $0.id, count: shard[1]) == shard[0] }
    }

    // MARK: Interactions

    /// Waits until the interaction has at least `count` answers; `false` after `timeout`.
    func waitForAnswers(_ id: Snowflake, count: Int, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            if answerCount(id) >= count { return true }
            if ContinuousClock.now >= deadline { return false }
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.suspendUntilAnswered(id, count: count) }
                group.addTask {
                    try? await Task.sleep(until: deadline)
                    self.wakeWaiters(id)
                }
                await group.next()
                group.cancelAll()
            }
        }
    }

    /// Waits until more than `count` REST requests were received; `false` on timeout.
    func waitForRequests(beyond count: Int, timeout: Duration) async -> Bool {
        let id = UUID()
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let now = self.storage.withLock { storage -> Bool in
                        guard storage.requests.count <= count else { return true }
                        storage.requestWaiters.append((id, count, continuation))
                        return false
                    }
                    if now { continuation.resume() }
                }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            if !first {
                // Timed out: release this caller's continuation, so the other task ends.
                let stale = storage.withLock { storage in
                    defer { storage.requestWaiters.removeAll { $0.id == id } }
                    return storage.requestWaiters.filter { $0.id == id }.map(\.continuation)
                }
                for continuation in stale { continuation.resume() }
            }
            group.cancelAll()
            return first
        }
    }

    /// Resumes the waiters a newly recorded request satisfies (the storage lock held).
    static func requestRecorded(_ storage: inout Storage) {
        guard !storage.requestWaiters.isEmpty else { return }
        let count = storage.requests.count
        let ready = storage.requestWaiters.filter { $0.count < count }
        storage.requestWaiters.removeAll { $0.count < count }
        for waiter in ready { waiter.continuation.resume() }
    }

    func answerCount(_ id: Snowflake) -> Int {
        storage.withLock { $0.interactions[id]?.answers.count ?? 0 }
    }

    private func suspendUntilAnswered(_ id: Snowflake, count: Int) async {
        await withCheckedContinuation { continuation in
            let resumeNow = storage.withLock { storage -> Bool in
                if (storage.interactions[id]?.answers.count ?? 0) >= count { return true }
                storage.waiters[id, default: []].append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    private func wakeWaiters(_ id: Snowflake) {
        let waiters = storage.withLock { $0.waiters.removeValue(forKey: id) ?? [] }
        for waiter in waiters { waiter.resume() }
    }

    func record(_ answer: RecordedAnswer, for id: Snowflake, in storage: inout Storage) {
        storage.interactions[id]?.answers.append(answer)
        for waiter in storage.waiters.removeValue(forKey: id) ?? [] { waiter.resume() }
    }
}

/// A message in a channel, the bot's or a simulated member's, as the simulator keeps it.
public struct SimulatedMessage: Sendable, Equatable {
    public var channelID: Snowflake
    /// Who wrote it: the bot, or a simulated member.
    public var authorID: Snowflake = 0
    /// The body as last sent or edited.
    public var body: [UInt8]
    public var edits: Int
    /// Emoji the bot reacted with, in order.
    public var reactions: [String]
    /// Every user's reactions, the bot's included, as `emoji user` pairs.
    public var memberReactions: Set<String> = []
    public var pinned = false
}
