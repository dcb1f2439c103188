import Foundation
import DiscordModels
import NIOHTTP1

/// One Discord endpoint with its parameters filled in.
///
/// `key` names the route without ids (`POST /channels/{channel_id}/messages`): it is what
/// logs and metrics show, so interaction and webhook tokens never reach them. `majorParameter`
/// is the top-level resource that Discord's rate-limit buckets are scoped to.
public struct DiscordRoute: Sendable, CustomStringConvertible {
    public let method: HTTPMethod
    public let template: String
    public let path: String
    public let majorParameter: String
    /// Interaction callbacks do not count toward the global limit.
    public let exemptFromGlobalLimit: Bool

    public init(_ method: HTTPMethod, _ template: String, path: String, major: String, exemptFromGlobalLimit: Bool = false) {
        self.method = method
        self.template = template
        self.path = path
        self.majorParameter = major
        self.exemptFromGlobalLimit = exemptFromGlobalLimit
    }

    public var key: String { "\(method.rawValue) \(template)" }
    public var description: String { key }

    /// GET, PUT and DELETE may be repeated safely after a server error, and so may an
    /// interaction callback: Discord accepts one initial response per interaction and refuses
    /// a second with 40060, so a retry can never answer twice, while giving up would leave the
    /// player without an answer.
    public var isIdempotent: Bool { [.GET, .PUT, .DELETE, .HEAD].contains(method) || template == Self.callbackTemplate }

    /// An interaction's callback, or an edit, fetch or follow-up of its answer (by its token).
    /// The invalid-request guard never refuses these: the player is owed an answer.
    public var answersInteraction: Bool {
        template == Self.callbackTemplate || template.hasPrefix("/webhooks/{application_id}/{interaction_token}")
    }

    private static let callbackTemplate = "/interactions/{interaction_id}/{interaction_token}/callback"

    public static let gatewayBot = DiscordRoute(.GET, "/gateway/bot", path: "/gateway/bot", major: "")
    public static let currentUser = DiscordRoute(.GET, "/users/@me", path: "/users/@me", major: "")
    public static let currentApplication = DiscordRoute(.GET, "/applications/@me", path: "/applications/@me", major: "")

    public static func globalCommands(_ method: HTTPMethod, application: Snowflake) -> DiscordRoute {
        DiscordRoute(method, "/applications/{application_id}/commands", path: "/applications/\(application)/commands",
                     major: "application:\(application)")
    }

    public static func guildCommands(_ method: HTTPMethod, application: Snowflake, guild: Snowflake) -> DiscordRoute {
        DiscordRoute(method, "/applications/{application_id}/guilds/{guild_id}/commands",
                     path: "/applications/\(application)/guilds/\(guild)/commands", major: "guild:\(guild)")
    }

    public static func interactionCallback(id: Snowflake, token: String) -> DiscordRoute {
        DiscordRoute(.POST, callbackTemplate, path: "/interactions/\(id)/\(token)/callback", major: "interaction:\(id)",
                     exemptFromGlobalLimit: true)
    }

    public static func originalResponse(_ method: HTTPMethod, application: Snowflake, token: String) -> DiscordRoute {
        DiscordRoute(method, "/webhooks/{application_id}/{interaction_token}/messages/@original",
                     path: "/webhooks/\(application)/\(token)/messages/@original", major: "webhook:\(application):\(token)")
    }

    public static func followUp(application: Snowflake, token: String) -> DiscordRoute {
        DiscordRoute(.POST, "/webhooks/{application_id}/{interaction_token}", path: "/webhooks/\(application)/\(token)",
                     major: "webhook:\(application):\(token)")
    }

    public static func channelMessages(_ method: HTTPMethod, channel: Snowflake) -> DiscordRoute {
        DiscordRoute(method, "/channels/{channel_id}/messages", path: "/channels/\(channel)/messages",
                     major: "channel:\(channel)")
    }

    public static func channelMessage(_ method: HTTPMethod, channel: Snowflake, message: Snowflake) -> DiscordRoute {
        DiscordRoute(method, "/channels/{channel_id}/messages/{message_id}", path: "/channels/\(channel)/messages/\(message)",
                     major: "channel:\(channel)")
    }

    /// `PUT …/reactions/{emoji}/@me`: Discord rate-limits reactions on their own bucket per channel.
    public static func ownReaction(channel: Snowflake, message: Snowflake, emoji: String) -> DiscordRoute {
        let encoded = emoji.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? emoji
        return DiscordRoute(.PUT, "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
                            path: "/channels/\(channel)/messages/\(message)/reactions/\(encoded)/@me", major: "channel:\(channel)")
    }

    public static func bulkDelete(channel: Snowflake) -> DiscordRoute {
        DiscordRoute(.POST, "/channels/{channel_id}/messages/bulk-delete", path: "/channels/\(channel)/messages/bulk-delete",
                     major: "channel:\(channel)")
    }

    public static func pin(_ method: HTTPMethod, channel: Snowflake, message: Snowflake) -> DiscordRoute {
        DiscordRoute(method, "/channels/{channel_id}/messages/pins/{message_id}",
                     path: "/channels/\(channel)/messages/pins/\(message)", major: "channel:\(channel)")
    }

    /// `PATCH` (nickname, timeout) or `DELETE` (kick) a member.
    public static func member(_ method: HTTPMethod, guild: Snowflake, user: Snowflake) -> DiscordRoute {
        DiscordRoute(method, "/guilds/{guild_id}/members/{user_id}", path: "/guilds/\(guild)/members/\(user)", major: "guild:\(guild)")
    }

    public static func memberRole(_ method: HTTPMethod, guild: Snowflake, user: Snowflake, role: Snowflake) -> DiscordRoute {
        DiscordRoute(method, "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
                     path: "/guilds/\(guild)/members/\(user)/roles/\(role)", major: "guild:\(guild)")
    }

    public static func ban(_ method: HTTPMethod, guild: Snowflake, user: Snowflake) -> DiscordRoute {
        DiscordRoute(method, "/guilds/{guild_id}/bans/{user_id}", path: "/guilds/\(guild)/bans/\(user)", major: "guild:\(guild)")
    }

    public static func roles(guild: Snowflake) -> DiscordRoute {
        DiscordRoute(.POST, "/guilds/{guild_id}/roles", path: "/guilds/\(guild)/roles", major: "guild:\(guild)")
    }

    public static func role(_ method: HTTPMethod, guild: Snowflake, role: Snowflake) -> DiscordRoute {
        DiscordRoute(method, "/guilds/{guild_id}/roles/{role_id}", path: "/guilds/\(guild)/roles/\(role)", major: "guild:\(guild)")
    }

    /// `POST …/messages/{message_id}/threads`: a thread from a message.
    public static func messageThread(channel: Snowflake, message: Snowflake) -> DiscordRoute {
        DiscordRoute(.POST, "/channels/{channel_id}/messages/{message_id}/threads",
                     path: "/channels/\(channel)/messages/\(message)/threads", major: "channel:\(channel)")
    }

    /// `POST /channels/{channel_id}/threads`: a thread without a message.
    public static func channelThread(channel: Snowflake) -> DiscordRoute {
        DiscordRoute(.POST, "/channels/{channel_id}/threads", path: "/channels/\(channel)/threads", major: "channel:\(channel)")
    }

    /// `PATCH /channels/{channel_id}`: here, archiving a thread.
    public static func channel(_ method: HTTPMethod, channel: Snowflake) -> DiscordRoute {
        DiscordRoute(method, "/channels/{channel_id}", path: "/channels/\(channel)", major: "channel:\(channel)")
    }

    public static func threadMember(channel: Snowflake, user: Snowflake) -> DiscordRoute {
        DiscordRoute(.PUT, "/channels/{channel_id}/thread-members/{user_id}", path: "/channels/\(channel)/thread-members/\(user)",
                     major: "channel:\(channel)")
    }

    /// `POST /users/@me/channels`: opens (or finds) the direct message channel with a user.
    public static let directMessageChannel = DiscordRoute(.POST, "/users/@me/channels", path: "/users/@me/channels", major: "")

    /// `PATCH` or `DELETE` a follow-up (or, with `@original`, the first answer) by the interaction's token.
    public static func followUpMessage(_ method: HTTPMethod, application: Snowflake, token: String, message: String) -> DiscordRoute {
        DiscordRoute(method, "/webhooks/{application_id}/{interaction_token}/messages/{message_id}",
                     path: "/webhooks/\(application)/\(token)/messages/\(message)", major: "webhook:\(application):\(token)")
    }
}
