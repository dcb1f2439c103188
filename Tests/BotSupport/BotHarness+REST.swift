import DiscordModels
import DiscordREST
import DiscordSimulator

extension BotHarness {
    /// Runs `body` with a REST client for `discord`, shutting the client down however it ends.
    public static func withRESTClient<T: Sendable>(
        _ discord: DiscordSimulator, token: String = BotHarness.token, configure: (inout RESTConfiguration) -> Void = { _ in },
        _ body: (DiscordRESTClient) async throws -> T
    ) async throws -> T {
        var configuration = RESTConfiguration(token: BotToken(token), apiBase: discord.apiBase)
        configuration.globalLimit = 400
        configure(&configuration)
        let rest = DiscordRESTClient(configuration: configuration, logger: BotHarness.quietLogger)
        do {
            let result = try await body(rest)
            try await rest.shutdown()
            return result
        } catch {
            try? await rest.shutdown()
            throw error
        }
    }
}
