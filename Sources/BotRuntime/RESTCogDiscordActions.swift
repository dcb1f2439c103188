import CogHost
import DiscordModels
import DiscordREST

/// The cogs' Discord actions, sent through the bot's rate-limited REST client.
struct RESTCogDiscordActions: CogDiscordActions {
    let rest: DiscordRESTClient
    /// `cog:<name>` once ``acting(for:)`` named the cog.
    var cause: String?

    func acting(for cog: String) -> any CogDiscordActions {
        RESTCogDiscordActions(rest: rest, cause: "cog:\(cog)")
    }

    func createMessage(channel: UInt64, message: [UInt8]) async throws -> UInt64 {
        struct Created: Decodable { var id: Snowflake }
        let route = DiscordRoute.channelMessages(.POST, channel: Snowflake(channel))
        return try await rest.createMessage(channel: Snowflake(channel), json: message, cause: cause).decode(Created.self, route: route).id.rawValue
    }

    func editMessage(channel: UInt64, message: UInt64, with body: [UInt8]) async throws {
        try await rest.editMessage(channel: Snowflake(channel), message: Snowflake(message), json: body, cause: cause)
    }

    func deleteMessage(channel: UInt64, message: UInt64) async throws {
        try await rest.deleteMessage(channel: Snowflake(channel), message: Snowflake(message), cause: cause)
    }

    func addReaction(channel: UInt64, message: UInt64, emoji: String) async throws {
        try await rest.addReaction(channel: Snowflake(channel), message: Snowflake(message), emoji: emoji, cause: cause)
    }
}
