import CogHost
import DiscordModels
import DiscordREST

/// Publishes command definitions through the bot's REST client: to the development guild
/// when one is configured, otherwise globally. The application id is the configured one, or
/// Discord's answer to `GET /applications/@me`, asked once.
actor RESTCommandPublisher: CommandPublisher {
    private let rest: DiscordRESTClient
    private let guildID: Snowflake?
    private var applicationID: Snowflake?

    init(rest: DiscordRESTClient, applicationID: Snowflake?, guildID: Snowflake?) {
        self.rest = rest
        self.applicationID = applicationID
        self.guildID = guildID
    }

    func destination() async throws -> CommandDestination {
        let application = try await resolvedApplicationID()
        return CommandDestination(
            key: "\(rest.configuration.apiBase) \(application)/\(guildID.map { "guild:\($0)" } ?? "global")",
            scope: guildID.map { "guild \($0)" } ?? "global scope"
        )
    }

    func publish(_ definitions: [ApplicationCommand]) async throws {
        try await rest.overwriteCommands(definitions, application: try await resolvedApplicationID(), guild: guildID)
    }

    /// The application the bot runs as.
    func resolvedApplicationID() async throws -> Snowflake {
        if let applicationID { return applicationID }
        let asked = try await rest.currentApplicationID()
        applicationID = asked
        return asked
    }
}
