import Foundation

/// Gateway intents: which events Discord sends the bot.
public struct GatewayIntents: OptionSet, Sendable, Hashable {
    public let rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public static let guilds = GatewayIntents(rawValue: 1 << 0)
    public static let guildMembers = GatewayIntents(rawValue: 1 << 1)
    public static let guildModeration = GatewayIntents(rawValue: 1 << 2)
    public static let guildExpressions = GatewayIntents(rawValue: 1 << 3)
    public static let guildIntegrations = GatewayIntents(rawValue: 1 << 4)
    public static let guildWebhooks = GatewayIntents(rawValue: 1 << 5)
    public static let guildInvites = GatewayIntents(rawValue: 1 << 6)
    public static let guildVoiceStates = GatewayIntents(rawValue: 1 << 7)
    public static let guildPresences = GatewayIntents(rawValue: 1 << 8)
    public static let guildMessages = GatewayIntents(rawValue: 1 << 9)
    public static let guildMessageReactions = GatewayIntents(rawValue: 1 << 10)
    public static let guildMessageTyping = GatewayIntents(rawValue: 1 << 11)
    public static let directMessages = GatewayIntents(rawValue: 1 << 12)
    public static let directMessageReactions = GatewayIntents(rawValue: 1 << 13)
    public static let directMessageTyping = GatewayIntents(rawValue: 1 << 14)
    public static let messageContent = GatewayIntents(rawValue: 1 << 15)
    public static let guildScheduledEvents = GatewayIntents(rawValue: 1 << 16)
    public static let autoModerationConfiguration = GatewayIntents(rawValue: 1 << 20)
    public static let autoModerationExecution = GatewayIntents(rawValue: 1 << 21)
    public static let guildMessagePolls = GatewayIntents(rawValue: 1 << 24)
    public static let directMessagePolls = GatewayIntents(rawValue: 1 << 25)

    /// The privileged intents, which must be enabled in the Developer Portal.
    public static let privileged: GatewayIntents = [.guildMembers, .guildPresences, .messageContent]

    /// What a slash-command bot needs by default.
    public static let `default`: GatewayIntents = [.guilds]

    /// Names accepted in configuration (`guilds,guild_messages`), in snake case as Discord's docs write them.
    public static let names: [String: GatewayIntents] = [
        "guilds": .guilds, "guild_members": .guildMembers, "guild_moderation": .guildModeration,
        "guild_expressions": .guildExpressions, "guild_integrations": .guildIntegrations,
        "guild_webhooks": .guildWebhooks, "guild_invites": .guildInvites, "guild_voice_states": .guildVoiceStates,
        "guild_presences": .guildPresences, "guild_messages": .guildMessages,
        "guild_message_reactions": .guildMessageReactions, "guild_message_typing": .guildMessageTyping,
        "direct_messages": .directMessages, "direct_message_reactions": .directMessageReactions,
        "direct_message_typing": .directMessageTyping, "message_content": .messageContent,
        "guild_scheduled_events": .guildScheduledEvents, "auto_moderation_configuration": .autoModerationConfiguration,
        "auto_moderation_execution": .autoModerationExecution, "guild_message_polls": .guildMessagePolls,
        "direct_message_polls": .directMessagePolls,
    ]

    /// The intents in this set by the names Discord's docs use (`GUILD_MEMBERS`), lowest bit first.
    ///
    /// ```swift
    /// GatewayIntents([.guilds, .messageContent]).documentedNames   // ["GUILDS", "MESSAGE_CONTENT"]
    /// ```
    public var documentedNames: [String] {
        Self.names.filter { !$0.value.isDisjoint(with: self) }.sorted { $0.value.rawValue < $1.value.rawValue }
            .map { $0.key.uppercased() }
    }

    /// Parses a number (`513`) or a comma-separated list of names (`guilds,guild_messages`).
    ///
    /// - Returns: The intents, and the names that were not recognised.
    public static func parse(_ text: String) -> (intents: GatewayIntents, unknown: [String]) {
        if let number = UInt64(text.trimmingCharacters(in: .whitespaces)) { return (GatewayIntents(rawValue: number), []) }
        var intents: GatewayIntents = []
        var unknown: [String] = []
        for part in text.split(separator: ",") {
            let name = part.trimmingCharacters(in: .whitespaces).lowercased()
            if let intent = names[name] { intents.insert(intent) } else { unknown.append(name) }
        }
        return (intents, unknown)
    }
}
