/// The Discord actions a cog may ask the host for. The bot runtime implements them with its
/// rate-limited REST client; the cog test harness records them. Cogs never see the token.
public protocol CogDiscordActions: Sendable {
    /// These actions on behalf of cog `cog`: Discord's refusals of them count against that
    /// cog's share of the invalid-request budget, not the bot's answers to players.
    func acting(for cog: String) -> any CogDiscordActions
    /// `POST /channels/{channel}/messages`; returns the new message's id.
    func createMessage(channel: UInt64, message: [UInt8]) async throws -> UInt64
    /// `PATCH /channels/{channel}/messages/{message}`.
    func editMessage(channel: UInt64, message: UInt64, with body: [UInt8]) async throws
    /// `DELETE /channels/{channel}/messages/{message}`.
    func deleteMessage(channel: UInt64, message: UInt64) async throws
    /// `PUT /channels/{channel}/messages/{message}/reactions/{emoji}/@me`.
    func addReaction(channel: UInt64, message: UInt64, emoji: String) async throws
}

extension CogDiscordActions {
    /// Actions that keep no per-cog account (the test harness's recorder) are the same for every cog.
    public func acting(for cog: String) -> any CogDiscordActions { self }
}
