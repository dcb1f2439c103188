import DiscordREST
import ServiceLifecycle

/// The bot's REST client as a step of the shutdown: it serves from the start, and closes its
/// connections only after every part that sends through it (the gateway's answers, the cogs'
/// actions, the operator notices) has stopped.
public struct RESTClientService: Service {
    public let rest: DiscordRESTClient

    public init(rest: DiscordRESTClient) {
        self.rest = rest
    }

    public func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            // Cancelled: close at once all the same.
        }
        try await rest.shutdown()
    }
}
