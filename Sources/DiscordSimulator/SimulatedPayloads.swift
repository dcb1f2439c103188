import DiscordModels
import Foundation

/// The JSON the simulated Discord sends, shaped like the current API (v10).
enum SimulatedPayloads {
    /// Members from which a guild is large: IDENTIFY's default `large_threshold`.
    static let largeThreshold = 50

    static func user(id: Snowflake, username: String, bot: Bool) -> [String: Any] {
        ["id": id.description, "username": username, "discriminator": "0", "global_name": username, "avatar": NSNull(),
         "bot": bot, "flags": 0, "public_flags": 0, "mfa_enabled": false, "verified": true, "email": NSNull(),
         "locale": "en-US", "premium_type": 0, "banner": NSNull(), "accent_color": NSNull(), "avatar_decoration_data": NSNull(),
         "primary_guild": NSNull(), "collectibles": NSNull(), "clan": NSNull()]
    }

    static func botUser(_ configuration: SimulatorConfiguration) -> [String: Any] {
        user(id: configuration.botUserID, username: configuration.botUsername, bot: true)
    }

    static func application(_ configuration: SimulatorConfiguration) -> [String: Any] {
        ["id": configuration.applicationID.description, "name": configuration.botUsername, "icon": NSNull(),
         "description": "", "bot_public": true, "bot_require_code_grant": false, "verify_key": String(repeating: "0", count: 64),
         "flags": 0, "owner": owner(configuration.applicationOwner), "team": team(configuration.applicationOwner),
         "summary": "", "bot": botUser(configuration), "rpc_origins": [], "tags": [], "redirect_uris": [],
         "interactions_endpoint_url": NSNull(), "install_params": NSNull(), "approximate_guild_count": configuration.guilds.count]
    }

    private static func owner(_ owner: SimulatorConfiguration.ApplicationOwner) -> [String: Any] {
        switch owner {
        case .user(let id): user(id: id, username: "owner", bot: false)
        case .team(let team): user(id: team.id, username: "team\(team.id)", bot: false)
        }
    }

    private static func team(_ owner: SimulatorConfiguration.ApplicationOwner) -> Any {
        guard case .team(let team) = owner else { return NSNull() }
        return ["id": team.id.description, "icon": NSNull(), "name": "Team \(team.id)", "owner_user_id": team.ownerUserID.description,
                "members": team.members.map { member in
                    ["user": user(id: member.userID, username: "member\(member.userID)", bot: false), "team_id": team.id.description,
                     "membership_state": member.accepted ? 2 : 1, "role": member.role, "permissions": ["*"]] as [String: Any]
                }]
    }

    static func ready(
        configuration: SimulatorConfiguration, sessionID: String, guilds: [SimulatorConfiguration.Guild], shard: [Int],
        resumeURL: String
    ) -> [UInt8] {
        json([
            "v": 10, "user": botUser(configuration), "user_settings": [:], "private_channels": [], "relationships": [],
            "presences": [], "guild_join_requests": [],
            "guilds": guilds.map { ["id": $0.id.description, "unavailable": true] },
            "session_id": sessionID, "session_type": "normal", "resume_gateway_url": resumeURL, "shard": shard,
            "application": ["id": configuration.applicationID.description, "flags": 0],
            "_trace": ["[\"cogwheel-simulator\"]"],
        ])
    }

    /// GUILD_CREATE with the world's roles, channels and voice states, and members as Discord's
    /// docs say: the bot's own always; the others only for a session with GUILD_PRESENCES and a
    /// guild under ``largeThreshold`` members (the simulator has no presences, so a large guild's
    /// online members are none). The rest are for op 8 to ask for.
    /// @everyone's permissions in every simulated guild: what Discord gives a new server's
    /// members (view, send, read history, react, mention @everyone, create threads, …).
    static let everyonePermissions: UInt64 = 2_248_473_465_835_073

    static func guildCreate(_ guild: SimulatorConfiguration.Guild, world: SimulatedWorld, bot: SimulatorConfiguration,
                            withPresences: Bool) -> [UInt8] {
        let guildID = guild.id.description
        let extraRoles = (world.roles[guild.id] ?? [:]).sorted { $0.key.rawValue < $1.key.rawValue }.map { role($0.key, $0.value) }
        let extraChannels = (world.channels[guild.id] ?? [:]).sorted { $0.key.rawValue < $1.key.rawValue }.enumerated().map {
            channel($0.element.key, $0.element.value, guild: guild.id, position: $0.offset + 1)
        }
        let large = (world.members[guild.id]?.count ?? 0) + 1 >= largeThreshold
        let members = withPresences && !large ? (world.members[guild.id] ?? [:]).map { member($0.key, $0.value, guild: nil) } : []
        let botMember: [String: Any] = ["user": botUser(bot), "roles": world.botRoles[guild.id].map { [$0.description] } ?? [], "joined_at": "2024-01-01T00:00:00.000000+00:00",
                                        "deaf": false, "mute": false, "flags": 0]
        let voiceStates = (world.voice[guild.id] ?? [:]).map { ["user_id": $0.key.description, "channel_id": $0.value.description,
                                                                "session_id": "s", "self_mute": false, "self_deaf": false] }
        return json([
            "id": guildID, "name": guild.name, "icon": NSNull(), "splash": NSNull(), "discovery_splash": NSNull(),
            "owner_id": bot.guildOwnerID.description, "afk_channel_id": NSNull(), "afk_timeout": 300, "verification_level": 0,
            "default_message_notifications": 0, "explicit_content_filter": 0, "features": [], "mfa_level": 0,
            "application_id": NSNull(), "system_channel_id": NSNull(), "system_channel_flags": 0, "rules_channel_id": NSNull(),
            "vanity_url_code": NSNull(), "description": NSNull(), "banner": NSNull(), "premium_tier": 0,
            "preferred_locale": "en-US", "public_updates_channel_id": NSNull(), "nsfw_level": 0, "premium_progress_bar_enabled": false,
            "safety_alerts_channel_id": NSNull(), "joined_at": "2024-01-01T00:00:00.000000+00:00", "large": large,
            "unavailable": false, "member_count": 1 + (world.members[guild.id]?.count ?? 0), "lazy": true,
            "voice_states": voiceStates, "threads": [], "presences": [],
            "stage_instances": [], "guild_scheduled_events": [], "soundboard_sounds": [], "emojis": [], "stickers": [],
            "roles": [["id": guildID, "name": "@everyone", "permissions": String(everyonePermissions), "position": 0, "color": 0,
                       "hoist": false, "managed": false, "mentionable": false, "flags": 0, "icon": NSNull(),
                       "unicode_emoji": NSNull(), "description": NSNull()]] + extraRoles,
            "channels": [["id": guild.channelID.description, "type": 0, "name": "general", "position": 0,
                          "permission_overwrites": [], "nsfw": false, "topic": NSNull(), "last_message_id": NSNull(),
                          "rate_limit_per_user": 0, "parent_id": NSNull(), "flags": 0]] + extraChannels,
            "members": [botMember] + members, "max_members": 500_000, "max_video_channel_users": 25, "premium_subscription_count": 0,
            "max_stage_video_channel_users": 50, "incidents_data": NSNull(), "hub_type": NSNull(), "region": "deprecated",
            "latest_onboarding_question_id": NSNull(), "home_header": NSNull(),
        ])
    }

    static func message(id: Snowflake, channel: Snowflake, content: String, author: [String: Any]) -> [String: Any] {
        let message: [String: Any] = [
            "id": id.description, "channel_id": channel.description, "type": 0, "content": content, "author": author,
            "timestamp": ISO8601DateFormatter().string(from: Date()), "edited_timestamp": NSNull(), "tts": false,
            "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [], "embeds": [],
            "pinned": false, "flags": 0, "components": [],
        ]
        return message
    }

    static func error(code: Int, message: String) -> [UInt8] {
        json(["code": code, "message": message])
    }

    static func json(_ object: Any) -> [UInt8] {
        (try? Array(JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))) ?? []
    }
}
