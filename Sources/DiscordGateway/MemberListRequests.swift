import CogWire
import DiscordModels

/// Which guilds need their member list asked for. Per Discord's docs (Request Guild Members),
/// a GUILD_CREATE carries only the members in voice and the bot itself when the session lacks
/// the GUILD_PRESENCES intent or the guild has over 75,000 members, and only the online ones
/// when the guild is `large`. A bot with the GUILD_MEMBERS intent gets the rest with op 8,
/// answered by GUILD_MEMBERS_CHUNK dispatches.
enum MemberListRequests {
    /// Beyond this many members Discord sends only voice members, presences or not.
    static let presencesLimit: Int64 = 75_000

    /// The guild's id when `payload` (a GUILD_CREATE's `d`) leaves members out for a session
    /// with or without `presences`; `nil` when it carries them all or does not scan.
    static func guildMissingMembers(in payload: UnsafeRawBufferPointer, presences: Bool) -> Snowflake? {
        var id: UInt64?
        var large = false
        var memberCount: Int64 = 0
        var scanner = JSONScanner(payload)
        do {
            try scanner.readObject { scanner, key in
                switch key {
                case "id": id = try scanner.readSnowflake()
                case "large": large = try scanner.readBool() ?? false
                case "member_count": memberCount = try scanner.readInteger() ?? 0
                default: try scanner.skipValue()
                }
            }
        } catch {
            return nil
        }
        guard let id, !presences || large || memberCount > presencesLimit else { return nil }
        return Snowflake(id)
    }
}
