import CogHost
import DiscordREST

/// The cogs' Discord actions, sent through the bot's rate-limited REST client.
struct RESTCogDiscordActions: CogDiscordActions {
    let rest: DiscordRESTClient
    /// `cog:<name>` once ``acting(for:)`` named the cog.
    var cause: String?

    func acting(for cog: String) -> any CogDiscordActions {
        RESTCogDiscordActions(rest: rest, cause: "cog:\(cog)")
    }

    func send(_ request: DiscordRequest) async throws(RESTError) -> DiscordResponse {
        var request = request
        request.cause = cause
        return try await rest.send(request)
    }
}
