/// The name of a gateway dispatch (op 0, field `t`), typed so that a misspelt event is a
/// compile error instead of a listener that silently never fires.
///
/// Every dispatch in Discord's gateway events reference has a case; a name Discord adds later
/// arrives as ``other(_:)`` with its text, so nothing is lost before this type learns it.
///
/// ```swift
/// switch GatewayEventName(wireName) {
/// case .interactionCreate: route(frame)
/// case .other(let name): logger.debug("unhandled dispatch \(name)")
/// default: break
/// }
/// ```
public enum GatewayEventName: Sendable, Hashable, CustomStringConvertible {
    case ready
    case resumed
    case rateLimited
    case applicationCommandPermissionsUpdate
    case autoModerationRuleCreate
    case autoModerationRuleUpdate
    case autoModerationRuleDelete
    case autoModerationActionExecution
    case channelCreate
    case channelUpdate
    case channelDelete
    case channelInfo
    case channelPinsUpdate
    case threadCreate
    case threadUpdate
    case threadDelete
    case threadListSync
    case threadMemberUpdate
    case threadMembersUpdate
    case entitlementCreate
    case entitlementUpdate
    case entitlementDelete
    case guildCreate
    case guildUpdate
    case guildDelete
    case guildAuditLogEntryCreate
    case guildBanAdd
    case guildBanRemove
    case guildEmojisUpdate
    case guildStickersUpdate
    case guildIntegrationsUpdate
    case guildMemberAdd
    case guildMemberRemove
    case guildMemberUpdate
    case guildMembersChunk
    case guildRoleCreate
    case guildRoleUpdate
    case guildRoleDelete
    case guildScheduledEventCreate
    case guildScheduledEventUpdate
    case guildScheduledEventDelete
    case guildScheduledEventUserAdd
    case guildScheduledEventUserRemove
    case guildSoundboardSoundCreate
    case guildSoundboardSoundUpdate
    case guildSoundboardSoundDelete
    case guildSoundboardSoundsUpdate
    case soundboardSounds
    case integrationCreate
    case integrationUpdate
    case integrationDelete
    case interactionCreate
    case inviteCreate
    case inviteDelete
    case messageCreate
    case messageUpdate
    case messageDelete
    case messageDeleteBulk
    case messageReactionAdd
    case messageReactionRemove
    case messageReactionRemoveAll
    case messageReactionRemoveEmoji
    case messagePollVoteAdd
    case messagePollVoteRemove
    case presenceUpdate
    case stageInstanceCreate
    case stageInstanceUpdate
    case stageInstanceDelete
    case subscriptionCreate
    case subscriptionUpdate
    case subscriptionDelete
    case typingStart
    case userUpdate
    case voiceChannelEffectSend
    case voiceChannelStartTimeUpdate
    case voiceChannelStatusUpdate
    case voiceStateUpdate
    case voiceServerUpdate
    case webhooksUpdate
    /// A name this type does not know (yet), kept verbatim.
    case other(String)

    /// The event called `raw` on the wire; `.other(raw)` only when no case has that name.
    public init(_ raw: String) {
        self = Self.byWireName[raw] ?? .other(raw)
    }

    /// The name on the wire, e.g. `INTERACTION_CREATE`.
    public var rawValue: String {
        if case .other(let name) = self { return name }
        guard let name = Self.wireNameByCase[self] else {
            preconditionFailure("a GatewayEventName case has no row in GatewayEventName.table")
        }
        return name
    }

    public var description: String { rawValue }

    /// Every known case with its wire name: the one place the mapping is written. Both
    /// directions are built from it, so `init` and `rawValue` cannot disagree.
    static let table: [(name: GatewayEventName, wireName: String)] = [
        (.ready, "READY"),
        (.resumed, "RESUMED"),
        (.rateLimited, "RATE_LIMITED"),
        (.applicationCommandPermissionsUpdate, "APPLICATION_COMMAND_PERMISSIONS_UPDATE"),
        (.autoModerationRuleCreate, "AUTO_MODERATION_RULE_CREATE"),
        (.autoModerationRuleUpdate, "AUTO_MODERATION_RULE_UPDATE"),
        (.autoModerationRuleDelete, "AUTO_MODERATION_RULE_DELETE"),
        (.autoModerationActionExecution, "AUTO_MODERATION_ACTION_EXECUTION"),
        (.channelCreate, "CHANNEL_CREATE"),
        (.channelUpdate, "CHANNEL_UPDATE"),
        (.channelDelete, "CHANNEL_DELETE"),
        (.channelInfo, "CHANNEL_INFO"),
        (.channelPinsUpdate, "CHANNEL_PINS_UPDATE"),
        (.threadCreate, "THREAD_CREATE"),
        (.threadUpdate, "THREAD_UPDATE"),
        (.threadDelete, "THREAD_DELETE"),
        (.threadListSync, "THREAD_LIST_SYNC"),
        (.threadMemberUpdate, "THREAD_MEMBER_UPDATE"),
        (.threadMembersUpdate, "THREAD_MEMBERS_UPDATE"),
        (.entitlementCreate, "ENTITLEMENT_CREATE"),
        (.entitlementUpdate, "ENTITLEMENT_UPDATE"),
        (.entitlementDelete, "ENTITLEMENT_DELETE"),
        (.guildCreate, "GUILD_CREATE"),
        (.guildUpdate, "GUILD_UPDATE"),
        (.guildDelete, "GUILD_DELETE"),
        (.guildAuditLogEntryCreate, "GUILD_AUDIT_LOG_ENTRY_CREATE"),
        (.guildBanAdd, "GUILD_BAN_ADD"),
        (.guildBanRemove, "GUILD_BAN_REMOVE"),
        (.guildEmojisUpdate, "GUILD_EMOJIS_UPDATE"),
        (.guildStickersUpdate, "GUILD_STICKERS_UPDATE"),
        (.guildIntegrationsUpdate, "GUILD_INTEGRATIONS_UPDATE"),
        (.guildMemberAdd, "GUILD_MEMBER_ADD"),
        (.guildMemberRemove, "GUILD_MEMBER_REMOVE"),
        (.guildMemberUpdate, "GUILD_MEMBER_UPDATE"),
        (.guildMembersChunk, "GUILD_MEMBERS_CHUNK"),
        (.guildRoleCreate, "GUILD_ROLE_CREATE"),
        (.guildRoleUpdate, "GUILD_ROLE_UPDATE"),
        (.guildRoleDelete, "GUILD_ROLE_DELETE"),
        (.guildScheduledEventCreate, "GUILD_SCHEDULED_EVENT_CREATE"),
        (.guildScheduledEventUpdate, "GUILD_SCHEDULED_EVENT_UPDATE"),
        (.guildScheduledEventDelete, "GUILD_SCHEDULED_EVENT_DELETE"),
        (.guildScheduledEventUserAdd, "GUILD_SCHEDULED_EVENT_USER_ADD"),
        (.guildScheduledEventUserRemove, "GUILD_SCHEDULED_EVENT_USER_REMOVE"),
        (.guildSoundboardSoundCreate, "GUILD_SOUNDBOARD_SOUND_CREATE"),
        (.guildSoundboardSoundUpdate, "GUILD_SOUNDBOARD_SOUND_UPDATE"),
        (.guildSoundboardSoundDelete, "GUILD_SOUNDBOARD_SOUND_DELETE"),
        (.guildSoundboardSoundsUpdate, "GUILD_SOUNDBOARD_SOUNDS_UPDATE"),
        (.soundboardSounds, "SOUNDBOARD_SOUNDS"),
        (.integrationCreate, "INTEGRATION_CREATE"),
        (.integrationUpdate, "INTEGRATION_UPDATE"),
        (.integrationDelete, "INTEGRATION_DELETE"),
        (.interactionCreate, "INTERACTION_CREATE"),
        (.inviteCreate, "INVITE_CREATE"),
        (.inviteDelete, "INVITE_DELETE"),
        (.messageCreate, "MESSAGE_CREATE"),
        (.messageUpdate, "MESSAGE_UPDATE"),
        (.messageDelete, "MESSAGE_DELETE"),
        (.messageDeleteBulk, "MESSAGE_DELETE_BULK"),
        (.messageReactionAdd, "MESSAGE_REACTION_ADD"),
        (.messageReactionRemove, "MESSAGE_REACTION_REMOVE"),
        (.messageReactionRemoveAll, "MESSAGE_REACTION_REMOVE_ALL"),
        (.messageReactionRemoveEmoji, "MESSAGE_REACTION_REMOVE_EMOJI"),
        (.messagePollVoteAdd, "MESSAGE_POLL_VOTE_ADD"),
        (.messagePollVoteRemove, "MESSAGE_POLL_VOTE_REMOVE"),
        (.presenceUpdate, "PRESENCE_UPDATE"),
        (.stageInstanceCreate, "STAGE_INSTANCE_CREATE"),
        (.stageInstanceUpdate, "STAGE_INSTANCE_UPDATE"),
        (.stageInstanceDelete, "STAGE_INSTANCE_DELETE"),
        (.subscriptionCreate, "SUBSCRIPTION_CREATE"),
        (.subscriptionUpdate, "SUBSCRIPTION_UPDATE"),
        (.subscriptionDelete, "SUBSCRIPTION_DELETE"),
        (.typingStart, "TYPING_START"),
        (.userUpdate, "USER_UPDATE"),
        (.voiceChannelEffectSend, "VOICE_CHANNEL_EFFECT_SEND"),
        (.voiceChannelStartTimeUpdate, "VOICE_CHANNEL_START_TIME_UPDATE"),
        (.voiceChannelStatusUpdate, "VOICE_CHANNEL_STATUS_UPDATE"),
        (.voiceStateUpdate, "VOICE_STATE_UPDATE"),
        (.voiceServerUpdate, "VOICE_SERVER_UPDATE"),
        (.webhooksUpdate, "WEBHOOKS_UPDATE"),
    ]

    private static let byWireName: [String: GatewayEventName] = Dictionary(
        uniqueKeysWithValues: table.map { ($0.wireName, $0.name) }
    )

    private static let wireNameByCase: [GatewayEventName: String] = Dictionary(
        uniqueKeysWithValues: table.map { ($0.name, $0.wireName) }
    )
}
