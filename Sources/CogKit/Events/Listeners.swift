/// The typed listeners, by family. Each hears the dispatches named in its documentation.
extension Listener {
    public typealias Typed<Payload> = @Sendable (C, Payload, EventContext) async throws -> Void

    // MARK: Messages

    /// MESSAGE_CREATE. Without ``Cog/hearsOwnMessages`` the bot's own messages never arrive.
    public static func messageCreated(_ handler: @escaping Typed<Message>) -> Listener {
        typed(["MESSAGE_CREATE"], Message.self, handler)
    }

    /// MESSAGE_UPDATE: an edited message (fields Discord did not resend are empty).
    public static func messageUpdated(_ handler: @escaping Typed<Message>) -> Listener {
        typed(["MESSAGE_UPDATE"], Message.self, handler)
    }

    /// MESSAGE_DELETE.
    public static func messageDeleted(_ handler: @escaping Typed<MessageDeletion>) -> Listener {
        typed(["MESSAGE_DELETE"], MessageDeletion.self, handler)
    }

    /// MESSAGE_DELETE_BULK.
    public static func messagesBulkDeleted(_ handler: @escaping Typed<BulkMessageDeletion>) -> Listener {
        typed(["MESSAGE_DELETE_BULK"], BulkMessageDeletion.self, handler)
    }

    // MARK: Members (the GUILD_MEMBERS intent, privileged: enable it in the Developer Portal)

    /// GUILD_MEMBER_ADD: someone joined a guild.
    public static func memberJoined(_ handler: @escaping Typed<Member>) -> Listener {
        typed(["GUILD_MEMBER_ADD"], Member.self, handler)
    }

    /// GUILD_MEMBER_UPDATE: roles, nickname or timeout changed.
    public static func memberUpdated(_ handler: @escaping Typed<Member>) -> Listener {
        typed(["GUILD_MEMBER_UPDATE"], Member.self, handler)
    }

    /// GUILD_MEMBER_REMOVE: someone left, or was kicked or banned.
    public static func memberLeft(_ handler: @escaping Typed<GuildUser>) -> Listener {
        typed(["GUILD_MEMBER_REMOVE"], GuildUser.self, handler)
    }

    // MARK: Reactions

    /// MESSAGE_REACTION_ADD.
    public static func reactionAdded(_ handler: @escaping Typed<Reaction>) -> Listener {
        typed(["MESSAGE_REACTION_ADD"], Reaction.self, handler)
    }

    /// MESSAGE_REACTION_REMOVE.
    public static func reactionRemoved(_ handler: @escaping Typed<Reaction>) -> Listener {
        typed(["MESSAGE_REACTION_REMOVE"], Reaction.self, handler)
    }

    /// MESSAGE_REACTION_REMOVE_ALL.
    public static func reactionsCleared(_ handler: @escaping Typed<ReactionsCleared>) -> Listener {
        typed(["MESSAGE_REACTION_REMOVE_ALL"], ReactionsCleared.self, handler)
    }

    // MARK: The bot's guilds

    /// GUILD_CREATE for a guild the bot was just added to.
    public static func guildJoined(_ handler: @escaping Typed<Guild>) -> Listener {
        typed(["GUILD_CREATE"], Guild.self, when: { $0.joinedGuild }, handler)
    }

    /// GUILD_CREATE for a guild becoming available after the bot connected (or joined).
    public static func guildAvailable(_ handler: @escaping Typed<Guild>) -> Listener {
        typed(["GUILD_CREATE"], Guild.self, handler)
    }

    /// GUILD_DELETE when the bot was removed from a guild (not an outage).
    public static func guildLeft(_ handler: @escaping Typed<GuildRemoval>) -> Listener {
        Listener(events: ["GUILD_DELETE"]) { cog, event, context in
            let removal = try event.decode(GuildRemoval.self)
            guard removal.unavailable != true else { return }
            try await handler(cog, removal, context)
        }
    }

    // MARK: Roles and channels

    /// GUILD_ROLE_CREATE.
    public static func roleCreated(_ handler: @escaping Typed<RoleChange>) -> Listener {
        typed(["GUILD_ROLE_CREATE"], RoleChange.self, handler)
    }

    /// GUILD_ROLE_UPDATE.
    public static func roleUpdated(_ handler: @escaping Typed<RoleChange>) -> Listener {
        typed(["GUILD_ROLE_UPDATE"], RoleChange.self, handler)
    }

    /// GUILD_ROLE_DELETE.
    public static func roleDeleted(_ handler: @escaping Typed<RoleDeletion>) -> Listener {
        typed(["GUILD_ROLE_DELETE"], RoleDeletion.self, handler)
    }

    /// CHANNEL_CREATE.
    public static func channelCreated(_ handler: @escaping Typed<ChannelChange>) -> Listener {
        typed(["CHANNEL_CREATE"], ChannelChange.self, handler)
    }

    /// CHANNEL_UPDATE.
    public static func channelUpdated(_ handler: @escaping Typed<ChannelChange>) -> Listener {
        typed(["CHANNEL_UPDATE"], ChannelChange.self, handler)
    }

    /// CHANNEL_DELETE.
    public static func channelDeleted(_ handler: @escaping Typed<ChannelChange>) -> Listener {
        typed(["CHANNEL_DELETE"], ChannelChange.self, handler)
    }

    // MARK: Threads

    /// THREAD_CREATE.
    public static func threadCreated(_ handler: @escaping Typed<ChannelChange>) -> Listener {
        typed(["THREAD_CREATE"], ChannelChange.self, handler)
    }

    /// THREAD_UPDATE.
    public static func threadUpdated(_ handler: @escaping Typed<ChannelChange>) -> Listener {
        typed(["THREAD_UPDATE"], ChannelChange.self, handler)
    }

    /// THREAD_DELETE.
    public static func threadDeleted(_ handler: @escaping Typed<ChannelChange>) -> Listener {
        typed(["THREAD_DELETE"], ChannelChange.self, handler)
    }

    // MARK: Bans (the GUILD_MODERATION intent)

    /// GUILD_BAN_ADD.
    public static func banAdded(_ handler: @escaping Typed<GuildUser>) -> Listener {
        typed(["GUILD_BAN_ADD"], GuildUser.self, handler)
    }

    /// GUILD_BAN_REMOVE.
    public static func banRemoved(_ handler: @escaping Typed<GuildUser>) -> Listener {
        typed(["GUILD_BAN_REMOVE"], GuildUser.self, handler)
    }

    // MARK: Voice and the session

    /// VOICE_STATE_UPDATE: someone joined, left, moved or muted in voice.
    public static func voiceStateUpdated(_ handler: @escaping Typed<VoiceState>) -> Listener {
        typed(["VOICE_STATE_UPDATE"], VoiceState.self, handler)
    }

    /// READY: a new gateway session (after start, or when a resume failed).
    public static func ready(_ handler: @escaping Typed<SessionReady>) -> Listener {
        typed(["READY"], SessionReady.self, handler)
    }

    /// RESUMED: the session resumed and the missed events were replayed.
    public static func resumed(_ handler: @escaping @Sendable (C, EventContext) async throws -> Void) -> Listener {
        Listener(events: ["RESUMED"]) { cog, _, context in try await handler(cog, context) }
    }
}
