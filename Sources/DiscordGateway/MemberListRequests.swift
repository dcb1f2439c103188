import CogWire
import DiscordModels

/// Which guilds need their member list asked for. Discord sends a large guild's GUILD_CREATE
/// with only part of its members (those online or in voice, up to `large_threshold`); a bot with
/// the GUILD_MEMBERS intent gets the rest with op 8, answered by GUILD_MEMBERS_CHUNK dispatches.
enum MemberListRequests {
    /// The guild's id when `payload` (a GUILD_CREATE's `d`) says `"large": true`; `nil` otherwise
    /// or when the payload does not scan.
    static func largeGuild(in payload: UnsafeRawBufferPointer) -> Snowflake? {
        var id: UInt64?
        var large = false
        var scanner = JSONScanner(payload)
        do {
            try scanner.readObject { scanner, key in
                switch key {
                case "id": id = try scanner.readSnowflake()
                case "large": large = try scanner.readBool() ?? false
                default: _ = try scanner.skipValue()
                }
            }
        } catch {
            return nil
        }
        guard large, let id else { return nil }
        return Snowflake(id)
    }
}
