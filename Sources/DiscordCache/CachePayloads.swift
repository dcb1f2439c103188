import DiscordModels

/// The parts of Discord's payloads the cache reads, decoded tolerantly: snowflakes and
/// permissions as strings or numbers, overwrite types as 0/1 or "role"/"member", and every
/// field but ids optional.
enum CachePayload {
    /// A permission bit set: a decimal string (API v8+) or a number (older payloads).
    struct Bits: Decodable {
        let value: UInt64
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                value = UInt64(text) ?? 0
            } else {
                value = (try? container.decode(UInt64.self)) ?? 0
            }
        }
    }

    struct Overwrite: Decodable {
        let id: Snowflake
        let type: PermissionOverwrite.Kind
        let allow: Bits?
        let deny: Bits?

        enum CodingKeys: String, CodingKey { case id, type, allow, deny }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(Snowflake.self, forKey: .id)
            if let number = try? container.decode(Int.self, forKey: .type) {
                type = number == 1 ? .member : .role
            } else {
                type = (try? container.decode(String.self, forKey: .type)) == "member" ? .member : .role
            }
            allow = try container.decodeIfPresent(Bits.self, forKey: .allow)
            deny = try container.decodeIfPresent(Bits.self, forKey: .deny)
        }

        var overwrite: PermissionOverwrite {
            PermissionOverwrite(id: id.rawValue, kind: type, allow: allow?.value ?? 0, deny: deny?.value ?? 0)
        }
    }

    struct Channel: Decodable {
        let id: Snowflake
        let type: Int?
        let guild_id: Snowflake?
        let name: String?
        let parent_id: Snowflake?
        let position: Int?
        let permission_overwrites: [Overwrite]?

        func cached(guild: UInt64, previous: CachedChannel? = nil) -> CachedChannel {
            CachedChannel(id: id.rawValue, guildID: guild_id?.rawValue ?? guild, type: type ?? previous?.type ?? 0,
                          name: name ?? previous?.name ?? "", parentID: parent_id?.rawValue ?? previous?.parentID ?? 0,
                          position: position ?? previous?.position ?? 0,
                          overwrites: permission_overwrites?.map(\.overwrite) ?? previous?.overwrites ?? [])
        }
    }

    struct Role: Decodable {
        let id: Snowflake
        let name: String?
        let position: Int?
        let permissions: Bits?
        let color: Int?
        let managed: Bool?

        var cached: CachedRole {
            CachedRole(id: id.rawValue, name: name ?? "", position: position ?? 0, permissions: permissions?.value ?? 0,
                       color: color ?? 0, managed: managed ?? false)
        }
    }

    struct User: Decodable {
        let id: Snowflake
        let username: String?
        let global_name: String?
    }

    struct Member: Decodable {
        let user: User?
        let guild_id: Snowflake?
        let nick: String?
        let roles: [Snowflake]?
        let joined_at: String?
        let communication_disabled_until: String?

        /// The member; `author` stands in for the user a message's `member` leaves out.
        func cached(guild: UInt64, author: User? = nil) -> CachedMember? {
            guard let user = user ?? author else { return nil }
            return CachedMember(guildID: guild_id?.rawValue ?? guild, userID: user.id.rawValue, username: user.username ?? "",
                                globalName: user.global_name, nick: nick, roles: roles?.map(\.rawValue) ?? [],
                                joinedAt: joined_at, timedOutUntil: communication_disabled_until)
        }
    }

    struct Emoji: Decodable {
        let id: Snowflake?
        let name: String?
    }

    struct VoiceState: Decodable {
        let guild_id: Snowflake?
        let channel_id: Snowflake?
        let user_id: Snowflake
        let member: Member?
    }

    struct Guild: Decodable {
        let id: Snowflake
        let name: String?
        let owner_id: Snowflake?
        let member_count: Int?
        let unavailable: Bool?
        let roles: [Role]?
        let channels: [Channel]?
        let threads: [Channel]?
        let emojis: [Emoji]?
        let members: [Member]?
        let voice_states: [VoiceState]?
    }

    struct RoleEvent: Decodable {
        let guild_id: Snowflake
        let role: Role?
        let role_id: Snowflake?
    }

    struct EmojisUpdate: Decodable {
        let guild_id: Snowflake
        let emojis: [Emoji]
    }

    /// One GUILD_MEMBERS_CHUNK: part of a guild's member list, asked for with op 8.
    struct MembersChunk: Decodable {
        let guild_id: Snowflake
        let members: [Member]
    }

    struct MemberRemove: Decodable {
        let guild_id: Snowflake
        let user: User
    }

    struct Message: Decodable {
        let id: Snowflake
        let channel_id: Snowflake
        let guild_id: Snowflake?
        let author: User?
        let member: Member?
        let content: String?
    }

    struct MessageDelete: Decodable {
        let id: Snowflake?
        let ids: [Snowflake]?
        let channel_id: Snowflake
    }

    struct Ready: Decodable {
        let user: User
    }
}
