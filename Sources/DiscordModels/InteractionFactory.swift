import Foundation

/// Builds interaction payloads (the `d` of INTERACTION_CREATE) for a slash command, in the
/// shape Discord sends them, for the console, the simulator and tests.
///
/// ```swift
/// var factory = InteractionFactory(applicationID: 1)
/// let payload = try factory.command(line: "/roll 2d6+3", definitions: commands,
///                                   as: .init(id: 42, username: "ada"), guildID: 7, channelID: 8)
/// ```
public struct InteractionFactory: Sendable {
    /// Who runs the command.
    public struct Invoker: Sendable {
        public var id: UInt64
        public var username: String
        /// Permission bits in the channel; Administrator (8) by default for console users.
        public var permissions: UInt64

        public init(id: UInt64, username: String, permissions: UInt64 = 0) {
            self.id = id
            self.username = username
            self.permissions = permissions
        }
    }

    public let applicationID: UInt64
    private var nextID: UInt64

    public init(applicationID: UInt64, firstInteractionID: UInt64 = 1_300_000_000_000_000_000) {
        self.applicationID = applicationID
        self.nextID = firstInteractionID
    }

    /// The id the next interaction gets.
    public var upcomingID: UInt64 { nextID + 1 }

    /// Parses `line` ("/roll 2d6+3", "/config show", "/echo text:hi times:2") against the
    /// definitions and builds the interaction. Values without a name fill the options in order.
    public mutating func command(
        line: String, definitions: [ApplicationCommand], as invoker: Invoker, guildID: UInt64?, channelID: UInt64,
        token: String? = nil
    ) throws(CommandLineError) -> [UInt8] {
        let invocation = try SlashCommandLine.parse(line, definitions: definitions)
        return command(invocation, as: invoker, guildID: guildID, channelID: channelID, token: token)
    }

    /// Builds the interaction for an already parsed invocation.
    ///
    /// - Parameter focused: Makes it an autocomplete request (type 4) with this option being typed.
    public mutating func command(
        _ invocation: SlashCommandLine, as invoker: Invoker, guildID: UInt64?, channelID: UInt64, token: String? = nil,
        focused: String? = nil
    ) -> [UInt8] {
        nextID += 1
        var options: [[String: Any]] = invocation.options.map { option in
            var node: [String: Any] = ["name": option.name, "type": option.type, "value": option.jsonValue]
            if option.name == focused { node["focused"] = true }
            return node
        }
        for level in invocation.subcommandPath.reversed() {
            options = [["name": level.name, "type": level.type, "options": options]]
        }
        var data: [String: Any] = [
            "id": String(nextID &+ 7), "name": invocation.command, "type": 1, "options": options,
        ]
        let mentionedUsers = invocation.options.filter { $0.type == 6 }
        if !mentionedUsers.isEmpty {
            var users: [String: Any] = [:]
            for option in mentionedUsers {
                users[option.raw] = ["id": option.raw, "username": "user\(option.raw.suffix(4))", "discriminator": "0",
                                     "global_name": NSNull(), "avatar": NSNull()]
            }
            data["resolved"] = ["users": users]
        }
        return interaction(type: focused == nil ? 2 : 4, data: data, as: invoker, guildID: guildID, channelID: channelID,
                           token: token)
    }

    /// A click on a button (`values` empty) or a pick in a select menu, on message `messageID`.
    public mutating func component(
        customID: String, values: [String]? = nil, messageID: UInt64, as invoker: Invoker, guildID: UInt64?, channelID: UInt64
    ) -> [UInt8] {
        nextID += 1
        var data: [String: Any] = ["custom_id": customID, "component_type": values == nil ? 2 : 3]
        if let values { data["values"] = values }
        let message: [String: Any] = ["id": String(messageID), "channel_id": String(channelID), "type": 0, "content": "",
                                      "author": ["id": String(applicationID), "username": "bot", "discriminator": "0", "bot": true]]
        return interaction(type: 3, data: data, as: invoker, guildID: guildID, channelID: channelID, extra: ["message": message])
    }

    /// A modal submitted with `values` by text input id.
    public mutating func modalSubmit(
        customID: String, values: [(id: String, value: String)], as invoker: Invoker, guildID: UInt64?, channelID: UInt64
    ) -> [UInt8] {
        nextID += 1
        let rows: [[String: Any]] = values.map { field in
            ["type": 1, "components": [["type": 4, "custom_id": field.id, "value": field.value]]]
        }
        return interaction(type: 5, data: ["custom_id": customID, "components": rows], as: invoker, guildID: guildID,
                           channelID: channelID)
    }

    /// A context-menu command: on a user (`commandType` 2) or a message (3), `resolved` being
    /// Discord's `resolved` object holding the target.
    public mutating func contextMenu(
        name: String, commandType: Int, targetID: UInt64, resolved: [String: Any], as invoker: Invoker, guildID: UInt64?,
        channelID: UInt64
    ) -> [UInt8] {
        nextID += 1
        let data: [String: Any] = ["id": String(nextID &+ 7), "name": name, "type": commandType,
                                   "target_id": String(targetID), "resolved": resolved]
        return interaction(type: 2, data: data, as: invoker, guildID: guildID, channelID: channelID)
    }

    /// A user object as Discord sends it.
    public static func userObject(id: UInt64, username: String) -> [String: Any] {
        ["id": String(id), "username": username, "discriminator": "0", "global_name": username.capitalized, "avatar": NSNull()]
    }

    /// The interaction envelope around `data`: who, where, the token.
    private func interaction(
        type: Int, data: [String: Any], as invoker: Invoker, guildID: UInt64?, channelID: UInt64, token: String? = nil,
        extra: [String: Any] = [:]
    ) -> [UInt8] {
        let user = Self.userObject(id: invoker.id, username: invoker.username)
        var interaction: [String: Any] = [
            "id": String(nextID), "application_id": String(applicationID), "type": type, "data": data,
            "channel_id": String(channelID), "token": token ?? "interaction-token-\(nextID)", "version": 1,
            "locale": "en-US", "app_permissions": "2248473465835073", "entitlements": [],
            "authorizing_integration_owners": ["0": String(guildID ?? 0)], "context": guildID == nil ? 1 : 0,
            "attachment_size_limit": 10_485_760,
            "channel": ["id": String(channelID), "type": guildID == nil ? 1 : 0],
        ]
        interaction.merge(extra) { _, new in new }
        if let guildID {
            interaction["guild_id"] = String(guildID)
            interaction["guild_locale"] = "en-US"
            interaction["guild"] = ["id": String(guildID), "locale": "en-US", "features": []]
            interaction["member"] = ["user": user, "roles": [], "permissions": String(invoker.permissions),
                                     "joined_at": "2024-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false,
                                     "flags": 0, "pending": false, "nick": NSNull(), "avatar": NSNull()]
        } else {
            interaction["user"] = user
        }
        return (try? Array(JSONSerialization.data(withJSONObject: interaction, options: [.sortedKeys]))) ?? []
    }
}
