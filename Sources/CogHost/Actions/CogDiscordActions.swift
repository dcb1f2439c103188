import DiscordREST

/// Where the host sends the Discord requests it makes for cogs, once a request is checked
/// (``DiscordActionPlanner``). The bot runtime implements it with its rate-limited REST
/// client; the cog test harness records the requests. Cogs never see the token.
public protocol CogDiscordActions: Sendable {
    /// These actions on behalf of cog `cog`: Discord's refusals of them count against that
    /// cog's share of the invalid-request budget, not the bot's answers to players.
    func acting(for cog: String) -> any CogDiscordActions
    /// Sends one request and returns Discord's answer; a refusal throws ``RESTError``.
    func send(_ request: DiscordRequest) async throws(RESTError) -> DiscordResponse
}

extension CogDiscordActions {
    /// Actions that keep no per-cog account (the test harness's recorder) are the same for every cog.
    public func acting(for cog: String) -> any CogDiscordActions { self }
}
