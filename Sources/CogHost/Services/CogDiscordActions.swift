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
