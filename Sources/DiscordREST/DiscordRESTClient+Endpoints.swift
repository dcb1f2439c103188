import DiscordModels

/// The endpoints the host uses, typed.
extension DiscordRESTClient {
    /// `GET /gateway/bot`: the gateway URL, recommended shards and session start limit.
    public func gatewayBot() async throws(RESTError) -> GatewayBotInfo {
        try await send(DiscordRequest(.gatewayBot)).decode(GatewayBotInfo.self, route: .gatewayBot)
    }

    /// `GET /users/@me`: the bot's own user.
    public func currentUser() async throws(RESTError) -> DiscordUser {
        try await send(DiscordRequest(.currentUser)).decode(DiscordUser.self, route: .currentUser)
    }

    /// `PUT …/commands`: replaces every command of the application, globally or in one guild.
    @discardableResult
    public func overwriteCommands(
        _ commands: [ApplicationCommand], application: Snowflake, guild: Snowflake?
    ) async throws(RESTError) -> DiscordResponse {
        let route: DiscordRoute = guild.map { .guildCommands(.PUT, application: application, guild: $0) }
            ?? .globalCommands(.PUT, application: application)
        let body: [UInt8]
        do {
            body = try JSONCoding.encode(commands)
        } catch {
            throw .undecodable(route: route.key, detail: "could not encode the commands: \(error)")
        }
        return try await send(DiscordRequest(route, body: body))
    }

    /// `POST /interactions/{id}/{token}/callback`: the first response to an interaction.
    public func createInteractionResponse(id: Snowflake, token: String, body: [UInt8]) async throws(RESTError) {
        try await send(DiscordRequest(.interactionCallback(id: id, token: token), body: body))
    }

    /// `PATCH /webhooks/{application}/{token}/messages/@original`: edits the first response.
    public func editOriginalResponse(application: Snowflake, token: String, message: [UInt8]) async throws(RESTError) {
        try await send(DiscordRequest(.originalResponse(.PATCH, application: application, token: token), body: message))
    }

    /// `POST /webhooks/{application}/{token}`: a follow-up message to an interaction.
    @discardableResult
    public func createFollowUp(application: Snowflake, token: String, message: [UInt8]) async throws(RESTError) -> DiscordResponse {
        try await send(DiscordRequest(.followUp(application: application, token: token), query: [("wait", "true")], body: message))
    }

    /// `POST /channels/{id}/messages`, on behalf of `cause` (see ``DiscordRequest/cause``).
    @discardableResult
    public func createMessage(channel: Snowflake, json message: [UInt8], cause: String? = nil) async throws(RESTError) -> DiscordResponse {
        try await send(DiscordRequest(.channelMessages(.POST, channel: channel), body: message, cause: cause))
    }

    /// `PATCH /channels/{id}/messages/{id}`.
    public func editMessage(channel: Snowflake, message: Snowflake, json body: [UInt8], cause: String? = nil) async throws(RESTError) {
        try await send(DiscordRequest(.channelMessage(.PATCH, channel: channel, message: message), body: body, cause: cause))
    }

    /// `DELETE /channels/{id}/messages/{id}`.
    public func deleteMessage(channel: Snowflake, message: Snowflake, cause: String? = nil) async throws(RESTError) {
        try await send(DiscordRequest(.channelMessage(.DELETE, channel: channel, message: message), cause: cause))
    }

    /// `PUT /channels/{id}/messages/{id}/reactions/{emoji}/@me`.
    public func addReaction(channel: Snowflake, message: Snowflake, emoji: String, cause: String? = nil) async throws(RESTError) {
        try await send(DiscordRequest(.ownReaction(channel: channel, message: message, emoji: emoji), cause: cause))
    }
}

extension DiscordRESTClient {
    /// The bot's application, from `GET /applications/@me`: its id, owner and team.
    public func currentApplication() async throws(RESTError) -> DiscordApplication {
        try await send(DiscordRequest(.currentApplication)).decode(DiscordApplication.self, route: .currentApplication)
    }
}
