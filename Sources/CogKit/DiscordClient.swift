import Foundation

/// Discord actions a cog takes outside a reply: post to a channel, edit or delete the messages
/// it posted, react. Every call goes through the host's rate-limited REST client; the cog
/// never sees the bot's token, and the host refuses changes to messages the cog did not post.
///
/// ```swift
/// let posted = try await context.discord.send(to: channelID, content: "Good morning!")
/// try await context.discord.react(with: "👋", to: posted)
/// try await context.discord.edit(posted, content: "Good morning, everyone!")
/// try await context.discord.delete(posted)
/// ```
public struct DiscordClient: Sendable {
    let host: HostServices?
    let cog: String

    /// Posts a message to `channel`. Mentions notify users only, never @everyone or roles.
    ///
    /// - Throws: ``ServiceCallError`` when Discord refuses (unknown channel, missing
    ///   permission) or the bot is not connected; ``ComponentError`` for a bad component.
    @discardableResult
    public func send(to channel: Snowflake, content: String? = nil, embeds: [Embed] = [],
                     components: [ActionRow] = []) async throws -> SentMessage {
        let answer = try await call("discord.send_message", channel: channel) { writer in
            writer.key("message")
            try MessageBody(content: content, embeds: embeds, components: components).write(to: &writer, cog: cog)
        }
        guard let id = (answer["message_id"] as? String).flatMap(UInt64.init) else {
            throw ServiceCallError(status: 1, message: "the host's answer had no message id")
        }
        return SentMessage(channelID: channel, id: Snowflake(id))
    }

    /// Replaces the content, embeds and components of a message this cog posted.
    public func edit(_ message: SentMessage, content: String? = nil, embeds: [Embed] = [],
                     components: [ActionRow] = []) async throws {
        _ = try await call("discord.edit_message", channel: message.channelID, message: message.id) { writer in
            writer.key("message")
            try MessageBody(content: content, embeds: embeds, components: components).write(to: &writer, cog: cog)
        }
    }

    /// Deletes a message this cog posted.
    public func delete(_ message: SentMessage) async throws {
        _ = try await call("discord.delete_message", channel: message.channelID, message: message.id) { _ in }
    }

    /// Adds the bot's reaction (a Unicode emoji, or `name:id` for a custom one) to a message.
    public func react(with emoji: String, to message: SentMessage) async throws {
        _ = try await call("discord.add_reaction", channel: message.channelID, message: message.id) { writer in
            writer.field("emoji", emoji)
        }
    }

    private func call(_ service: String, channel: Snowflake, message: Snowflake? = nil,
                      _ fields: (inout JSONWriter) throws -> Void) async throws -> [String: Any] {
        try await host.callService(service) { object in
            object.field("channel_id", channel.description)
            if let message { object.field("message_id", message.description) }
            try fields(&object)
        }
    }
}

/// A message a cog posted: enough to edit, delete or react to it later. Store both ids (for
/// example in the cog's table) to change it after a reload or a restart.
public struct SentMessage: Sendable, Equatable, Hashable {
    public let channelID: Snowflake
    public let id: Snowflake

    public init(channelID: Snowflake, id: Snowflake) {
        self.channelID = channelID
        self.id = id
    }
}
