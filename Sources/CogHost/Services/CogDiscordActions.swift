import Synchronization

/// The Discord actions a cog may ask the host for. The bot runtime implements them with its
/// rate-limited REST client; the cog test harness records them. Cogs never see the token.
public protocol CogDiscordActions: Sendable {
    /// `POST /channels/{channel}/messages`; returns the new message's id.
    func createMessage(channel: UInt64, message: [UInt8]) async throws -> UInt64
    /// `PATCH /channels/{channel}/messages/{message}`.
    func editMessage(channel: UInt64, message: UInt64, with body: [UInt8]) async throws
    /// `DELETE /channels/{channel}/messages/{message}`.
    func deleteMessage(channel: UInt64, message: UInt64) async throws
    /// `PUT /channels/{channel}/messages/{message}/reactions/{emoji}/@me`.
    func addReaction(channel: UInt64, message: UInt64, emoji: String) async throws
}

/// Where the host finds its ``CogDiscordActions`` once the connection to Discord exists.
final class DiscordActionsSlot: Sendable {
    private let actions = Mutex<(any CogDiscordActions)?>(nil)

    func set(_ actions: any CogDiscordActions) {
        self.actions.withLock { $0 = actions }
    }

    /// The installed actions; throws while nothing is connected.
    func current() throws(ServiceError) -> any CogDiscordActions {
        guard let actions = actions.withLock({ $0 }) else {
            throw ServiceError(.failed, "the bot is not connected to Discord yet; try again in a moment")
        }
        return actions
    }
}
