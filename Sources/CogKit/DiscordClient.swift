internal import CogWire

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
        let body = try MessageBody(content: content, embeds: embeds, components: components).json(cog: cog)
        let answer = try await host.call(.sendMessage(channel: channel.rawValue, message: body), answer: SentMessageAnswer.self)
        return SentMessage(channelID: Snowflake(answer.channel), id: Snowflake(answer.message))
    }

    /// Replaces the content, embeds and components of a message this cog posted.
    public func edit(_ message: SentMessage, content: String? = nil, embeds: [Embed] = [],
                     components: [ActionRow] = []) async throws {
        let body = try MessageBody(content: content, embeds: embeds, components: components).json(cog: cog)
        _ = try await host.call(.editMessage(channel: message.channelID.rawValue, message: message.id.rawValue, body: body),
                                answer: EmptyAnswer.self)
    }

    /// Deletes a message this cog posted.
    public func delete(_ message: SentMessage) async throws {
        _ = try await host.call(.deleteMessage(channel: message.channelID.rawValue, message: message.id.rawValue),
                                answer: EmptyAnswer.self)
    }

    /// Adds the bot's reaction (a Unicode emoji, or `name:id` for a custom one) to a message.
    public func react(with emoji: String, to message: SentMessage) async throws {
        _ = try await host.call(.addReaction(channel: message.channelID.rawValue, message: message.id.rawValue, emoji: emoji),
                                answer: EmptyAnswer.self)
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
