extension GatewayEventName {
    /// The intents whose events include this dispatch, from the intents table of Discord's
    /// gateway documentation. Where a dispatch comes under several (guild and direct messages),
    /// each of them; empty for a dispatch no intent governs, which is always sent; `nil` for a
    /// name Discord does not document (``other(_:)``).
    ///
    /// ```swift
    /// GatewayEventName.guildMemberAdd.intents   // [.guildMembers]
    /// GatewayEventName.messageCreate.intents    // [.guildMessages, .directMessages]
    /// GatewayEventName.ready.intents            // [] (always sent)
    /// GatewayEventName("MEMBER_JOIN").intents   // nil
    /// ```
    public var intents: GatewayIntents? {
        if case .other = self { return nil }
        return Self.intentsByEvent[self] ?? []
    }

    private static let intentsByEvent: [GatewayEventName: GatewayIntents] = {
        var table: [GatewayEventName: GatewayIntents] = [:]
        for (intent, events) in eventsByIntent {
            for event in events { table[event, default: []].insert(intent) }
        }
        return table
    }()

    /// The documentation's table, intent by intent.
    static let eventsByIntent: [(GatewayIntents, [GatewayEventName])] = [
        (.guilds, [
            .guildCreate, .guildUpdate, .guildDelete, .guildRoleCreate, .guildRoleUpdate, .guildRoleDelete, .channelCreate,
            .channelUpdate, .channelDelete, .channelPinsUpdate, .threadCreate, .threadUpdate, .threadDelete, .threadListSync,
            .threadMemberUpdate, .threadMembersUpdate, .stageInstanceCreate, .stageInstanceUpdate, .stageInstanceDelete,
            .voiceChannelStatusUpdate, .voiceChannelStartTimeUpdate,
        ]),
        (.guildMembers, [.guildMemberAdd, .guildMemberUpdate, .guildMemberRemove, .threadMembersUpdate]),
        (.guildModeration, [.guildAuditLogEntryCreate, .guildBanAdd, .guildBanRemove]),
        (.guildExpressions, [
            .guildEmojisUpdate, .guildStickersUpdate, .guildSoundboardSoundCreate, .guildSoundboardSoundUpdate,
            .guildSoundboardSoundDelete, .guildSoundboardSoundsUpdate,
        ]),
        (.guildIntegrations, [.guildIntegrationsUpdate, .integrationCreate, .integrationUpdate, .integrationDelete]),
        (.guildWebhooks, [.webhooksUpdate]),
        (.guildInvites, [.inviteCreate, .inviteDelete]),
        (.guildVoiceStates, [.voiceChannelEffectSend, .voiceStateUpdate]),
        (.guildPresences, [.presenceUpdate]),
        (.guildMessages, [.messageCreate, .messageUpdate, .messageDelete, .messageDeleteBulk]),
        (.guildMessageReactions, [.messageReactionAdd, .messageReactionRemove, .messageReactionRemoveAll, .messageReactionRemoveEmoji]),
        (.guildMessageTyping, [.typingStart]),
        (.directMessages, [.messageCreate, .messageUpdate, .messageDelete, .channelPinsUpdate]),
        (.directMessageReactions, [.messageReactionAdd, .messageReactionRemove, .messageReactionRemoveAll, .messageReactionRemoveEmoji]),
        (.directMessageTyping, [.typingStart]),
        (.guildScheduledEvents, [
            .guildScheduledEventCreate, .guildScheduledEventUpdate, .guildScheduledEventDelete, .guildScheduledEventUserAdd,
            .guildScheduledEventUserRemove,
        ]),
        (.autoModerationConfiguration, [.autoModerationRuleCreate, .autoModerationRuleUpdate, .autoModerationRuleDelete]),
        (.autoModerationExecution, [.autoModerationActionExecution]),
        (.guildMessagePolls, [.messagePollVoteAdd, .messagePollVoteRemove]),
        (.directMessagePolls, [.messagePollVoteAdd, .messagePollVoteRemove]),
    ]
}
