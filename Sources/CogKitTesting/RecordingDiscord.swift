import CogHost
import Foundation
import Synchronization

/// A message a cog posted through the host (`context.discord.send`), as the test harness saw it.
public struct PostedMessage: Sendable, Equatable {
    public let id: UInt64
    public let channelID: UInt64
    /// The message as last sent or edited.
    public var message: RecordedMessage
    /// Reactions the bot added, in order.
    public var reactions: [String]
    /// How many times the cog edited it.
    public var edits: Int
}

/// One Discord action a cog asked for, in order: `send`, `edit`, `delete` or `react`.
public struct RESTCall: Sendable, Equatable {
    public let action: String
    public let channelID: UInt64
    public let messageID: UInt64?
    /// The emoji of a `react`.
    public var emoji: String? = nil
}

/// Stands in for Discord's REST API behind the host's `discord.*` services: it keeps the
/// messages cogs post so tests can read, click and assert on them.
final class RecordingDiscord: CogDiscordActions {
    private struct State {
        var messages: [UInt64: PostedMessage] = [:]
        var order: [UInt64] = []
        var calls: [RESTCall] = []
        /// Messages members said in the harness's events, which a cog may react to.
        var othersMessages: Set<UInt64> = []
        var nextID: UInt64 = 1_200_000_000_000_000_000
    }

    private let state = Mutex(State())

    struct UnknownMessage: Error, CustomStringConvertible {
        let id: UInt64
        var description: String { "404 Unknown Message (10008): message \(id)" }
    }

    var messages: [PostedMessage] { state.withLock { state in state.order.compactMap { state.messages[$0] } } }
    var calls: [RESTCall] { state.withLock { $0.calls } }

    func createMessage(channel: UInt64, message: [UInt8]) async throws -> UInt64 {
        let decoded = try JSONDecoder().decode(RecordedMessage.self, from: Data(message))
        return state.withLock { state in
            state.nextID += 1
            state.messages[state.nextID] = PostedMessage(id: state.nextID, channelID: channel, message: decoded,
                                                         reactions: [], edits: 0)
            state.order.append(state.nextID)
            state.calls.append(RESTCall(action: "send", channelID: channel, messageID: state.nextID))
            return state.nextID
        }
    }

    func editMessage(channel: UInt64, message: UInt64, with body: [UInt8]) async throws {
        let decoded = try JSONDecoder().decode(RecordedMessage.self, from: Data(body))
        try state.withLock { state in
            guard state.messages[message] != nil else { throw UnknownMessage(id: message) }
            state.messages[message]?.message = decoded
            state.messages[message]?.edits += 1
            state.calls.append(RESTCall(action: "edit", channelID: channel, messageID: message))
        }
    }

    func deleteMessage(channel: UInt64, message: UInt64) async throws {
        try state.withLock { state in
            guard state.messages.removeValue(forKey: message) != nil else { throw UnknownMessage(id: message) }
            state.order.removeAll { $0 == message }
            state.calls.append(RESTCall(action: "delete", channelID: channel, messageID: message))
        }
    }

    func addReaction(channel: UInt64, message: UInt64, emoji: String) async throws {
        try state.withLock { state in
            guard state.messages[message] != nil || state.othersMessages.contains(message) else { throw UnknownMessage(id: message) }
            state.messages[message]?.reactions.append(emoji)
            state.calls.append(RESTCall(action: "react", channelID: channel, messageID: message, emoji: emoji))
        }
    }

    /// Remembers a message a member said, so a cog's reaction to it succeeds as on Discord.
    func noteMessage(_ id: UInt64) {
        _ = state.withLock { $0.othersMessages.insert(id) }
    }
}
