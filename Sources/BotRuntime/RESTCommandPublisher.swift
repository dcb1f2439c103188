import CogHost
import DiscordModels
import DiscordREST

/// Publishes command definitions through the bot's REST client: to a named guild, else to the
/// development guild when one is configured, otherwise globally. The application id is the
/// configured one, or Discord's answer to `GET /applications/@me`, asked once.
actor RESTCommandPublisher: CommandPublisher {
    private let rest: DiscordRESTClient
    nonisolated let defaultGuild: Snowflake?
    private var applicationID: Snowflake?

    init(rest: DiscordRESTClient, applicationID: Snowflake?, defaultGuild: Snowflake?) {
        self.rest = rest
        self.applicationID = applicationID
        self.defaultGuild = defaultGuild
    }

    func destination(guild: Snowflake?) async throws -> CommandDestination {
        let application = try await resolvedApplicationID()
        let guild = guild ?? defaultGuild
        return CommandDestination(
            key: "\(rest.configuration.apiBase) \(application)/\(guild.map { "guild:\($0)" } ?? "global")",
            scope: guild.map { "guild \($0)" } ?? "global scope"
        )
    }

    func publish(_ definitions: [ApplicationCommand], guild: Snowflake?) async throws {
        try await rest.overwriteCommands(definitions, application: try await resolvedApplicationID(), guild: guild ?? defaultGuild)
    }

    /// The application the bot runs as.
    func resolvedApplicationID() async throws -> Snowflake {
        if let applicationID { return applicationID }
        let asked = try await rest.currentApplication().id
        applicationID = asked
        return asked
    }
}
