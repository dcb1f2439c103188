import CogHost
import DiscordModels
import Foundation

extension CogTestHost {
    /// Clicks the button labelled `label` under a reply's message, as `user`.
    ///
    /// ```swift
    /// let poll = try await bot.run("/poll create question:Lunch? options:Pizza,Sushi")
    /// let vote = try await bot.click("Pizza", in: bot.postedMessages[0], as: .player)
    /// ```
    ///
    /// - Throws: ``CogTestError`` when the message has no such button.
    @discardableResult
    public func click(_ label: String, in reply: CogTestReply, as user: TestUser = .player,
                      guild: UInt64? = defaultGuild) async throws -> CogTestReply {
        guard let message = reply.message else { throw CogTestError("the reply has no message to click on") }
        return try await click(label, on: message, messageID: 1, channel: Self.defaultChannel, as: user, guild: guild)
    }

    /// Clicks the button labelled `label` on a message the cog posted itself.
    @discardableResult
    public func click(_ label: String, in posted: PostedMessage, as user: TestUser = .player,
                      guild: UInt64? = defaultGuild) async throws -> CogTestReply {
        try await click(label, on: posted.message, messageID: posted.id, channel: posted.channelID, as: user, guild: guild)
    }

    private func click(_ label: String, on message: RecordedMessage, messageID: UInt64, channel: UInt64, as user: TestUser,
                       guild: UInt64?) async throws -> CogTestReply {
        let buttons = message.controls.filter { $0.type == 2 }
        guard let button = buttons.first(where: { $0.label == label }), let customID = button.custom_id else {
            throw CogTestError("no button '\(label)' with a custom_id; the buttons are \(buttons.compactMap(\.label))")
        }
        guard button.disabled != true else { throw CogTestError("button '\(label)' is disabled; Discord would not send the click") }
        return await click(customID: customID, messageID: messageID, channel: channel, as: user, guild: guild)
    }

    /// Sends a component interaction for `customID` directly, for example one kept from an
    /// earlier run of the bot (persistent components).
    @discardableResult
    public func click(customID: String, messageID: UInt64 = 1, channel: UInt64 = defaultChannel, as user: TestUser = .player,
                      guild: UInt64? = defaultGuild) async -> CogTestReply {
        let payload = factory.withLock {
            $0.component(customID: customID, messageID: messageID, as: user, guildID: guild, channelID: channel)
        }
        return CogTestReply(responses: await source.deliver(frame: payload))
    }

    /// Picks `values` in the select menu of a reply's message.
    @discardableResult
    public func select(_ values: [String], in reply: CogTestReply, as user: TestUser = .player,
                       guild: UInt64? = defaultGuild) async throws -> CogTestReply {
        guard let menu = reply.message?.controls.first(where: { $0.type == 3 }), let customID = menu.custom_id else {
            throw CogTestError("the reply's message has no select menu")
        }
        let payload = factory.withLock {
            $0.component(customID: customID, values: values, messageID: 1, as: user, guildID: guild, channelID: Self.defaultChannel)
        }
        return CogTestReply(responses: await source.deliver(frame: payload))
    }

    /// Submits the modal a reply opened, with the player's answers by field id.
    ///
    /// - Throws: ``CogTestError`` when the reply opened no modal.
    @discardableResult
    public func submit(_ reply: CogTestReply, values: [String: String], as user: TestUser = .player,
                       guild: UInt64? = defaultGuild) async throws -> CogTestReply {
        guard let modal = reply.modal, let customID = modal.custom_id else {
            throw CogTestError("the reply opened no modal (it answered \(reply.responses.first?.callbackType.map { "\($0)" } ?? "nothing"))")
        }
        let payload = factory.withLock {
            $0.modalSubmit(customID: customID, values: values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                           as: user, guildID: guild, channelID: Self.defaultChannel)
        }
        return CogTestReply(responses: await source.deliver(frame: payload))
    }

    /// Runs a user context-menu command (Apps → `name`) on `target`.
    @discardableResult
    public func runUserCommand(_ name: String, on target: TestUser, as user: TestUser = .player,
                               guild: UInt64? = defaultGuild) async -> CogTestReply {
        let resolved: [String: Any] = ["users": [String(target.id): InteractionFactory.userObject(id: target.id, username: target.username)]]
        let payload = factory.withLock {
            $0.contextMenu(name: name, commandType: 2, targetID: target.id, resolved: resolved, as: user, guildID: guild,
                           channelID: Self.defaultChannel)
        }
        return CogTestReply(responses: await source.deliver(frame: payload))
    }

    /// Runs a message context-menu command on a message with `content` written by `author`.
    @discardableResult
    public func runMessageCommand(_ name: String, onMessage content: String, by author: TestUser = .otherPlayer,
                                  messageID: UInt64 = 1_250_000_000_000_000_001, as user: TestUser = .player,
                                  guild: UInt64? = defaultGuild) async -> CogTestReply {
        let message: [String: Any] = [
            "id": String(messageID), "channel_id": String(Self.defaultChannel), "content": content, "type": 0,
            "author": InteractionFactory.userObject(id: author.id, username: author.username),
        ]
        let payload = factory.withLock {
            $0.contextMenu(name: name, commandType: 3, targetID: messageID, resolved: ["messages": [String(messageID): message]],
                           as: user, guildID: guild, channelID: Self.defaultChannel)
        }
        return CogTestReply(responses: await source.deliver(frame: payload))
    }
}
