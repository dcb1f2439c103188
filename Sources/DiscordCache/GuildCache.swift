import Foundation
import Synchronization

/// The host's view of Discord: guilds with their channels (and permission overwrites), roles,
/// emojis and voice states; members, capped, least recently seen evicted first; and, when
/// turned on, a few recent messages per channel. Updated from the gateway's events in order;
/// complete again after each GUILD_CREATE (a resume replays what was missed).
///
/// ```swift
/// let cache = GuildCache(limits: .init(members: 100_000, messagesPerChannel: 0))
/// cache.apply(event: "GUILD_CREATE", payload: d)
/// cache.permissions(of: userID, in: channelID)    // Discord's computation, from the cache
/// ```
public final class GuildCache: Sendable {
    public struct Limits: Sendable {
        /// Members kept across every guild; the least recently seen go first. The bot's own stay.
        public var members: Int
        /// Recent messages kept per channel; 0 keeps none (and costs nothing).
        public var messagesPerChannel: Int
        /// Channels (threads and DMs included) whose recent messages are kept; the one written
        /// to least recently goes first, so players opening threads or DMs cannot grow it.
        public var messageChannels: Int

        public init(members: Int = 100_000, messagesPerChannel: Int = 0, messageChannels: Int = 10_000) {
            self.members = max(0, members)
            self.messagesPerChannel = max(0, messagesPerChannel)
            self.messageChannels = max(1, messageChannels)
        }
    }

    private struct MemberKey: Hashable {
        let guild: UInt64
        let user: UInt64
    }

    private struct State {
        var guilds: [UInt64: CachedGuild] = [:]
        /// Which guild each channel and thread belongs to.
        var channelGuilds: [UInt64: UInt64] = [:]
        var members: [MemberKey: (member: CachedMember, seen: UInt64)] = [:]
        var tick: UInt64 = 0
        var messages: [UInt64: (recent: [CachedMessage], written: UInt64)] = [:]
        var botUserID: UInt64 = 0
    }

    public let limits: Limits
    private let state = Mutex(State())

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// The dispatches that change the cache; anything else is ignored cheaply.
    public static let events: Set<String> = [
        "READY", "GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE", "CHANNEL_CREATE", "CHANNEL_UPDATE", "CHANNEL_DELETE",
        "THREAD_CREATE", "THREAD_UPDATE", "THREAD_DELETE", "GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE", "GUILD_ROLE_DELETE",
        "GUILD_EMOJIS_UPDATE", "GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE", "GUILD_MEMBER_REMOVE", "GUILD_MEMBERS_CHUNK",
        "VOICE_STATE_UPDATE",
        "MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE", "MESSAGE_DELETE_BULK",
    ]

    /// Applies one dispatch. A payload that does not decode changes nothing.
    public func apply(event: String, payload: some Collection<UInt8>) {
        guard Self.events.contains(event) else { return }
        // Only the events not scanned below pay for a copy and a decoder.
        func decode<T: Decodable>(_ type: T.Type) -> T? { try? JSONDecoder().decode(T.self, from: Data(payload)) }
        switch event {
        case "READY":
            if let ready = decode(CachePayload.Ready.self) { state.withLock { $0.botUserID = ready.user.id.rawValue } }
        case "GUILD_CREATE", "GUILD_UPDATE":
            if let guild = decode(CachePayload.Guild.self) { store(guild, replacing: event == "GUILD_CREATE") }
        case "GUILD_DELETE":
            if let guild = decode(CachePayload.Guild.self), guild.unavailable != true { remove(guild: guild.id.rawValue) }
        case "CHANNEL_CREATE", "CHANNEL_UPDATE", "THREAD_CREATE", "THREAD_UPDATE":
            if let channel = decode(CachePayload.Channel.self) { store(channel) }
        case "CHANNEL_DELETE", "THREAD_DELETE":
            if let channel = decode(CachePayload.Channel.self) { remove(channel: channel.id.rawValue) }
        case "GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE":
            if let change = decode(CachePayload.RoleEvent.self), let role = change.role {
                state.withLock { $0.guilds[change.guild_id.rawValue]?.roles[role.id.rawValue] = role.cached }
            }
        case "GUILD_ROLE_DELETE":
            if let change = decode(CachePayload.RoleEvent.self), let role = change.role_id { remove(role: role.rawValue, in: change.guild_id.rawValue) }
        case "GUILD_EMOJIS_UPDATE":
            if let update = decode(CachePayload.EmojisUpdate.self) {
                state.withLock { $0.guilds[update.guild_id.rawValue]?.emojis = Self.emojis(update.emojis) }
            }
        case "GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE":
            if let member = CachePayload.scan(payload, { try $0.readMemberFields().map(CachePayload.Member.init) }),
               let cached = member.cached(guild: 0), cached.guildID != 0 {
                state.withLock { state in
                    if event == "GUILD_MEMBER_ADD" { state.guilds[cached.guildID]?.memberCount += 1 }
                    see(cached, in: &state)
                }
            }
        case "GUILD_MEMBERS_CHUNK":
            if let chunk = decode(CachePayload.MembersChunk.self) {
                let members = chunk.members.compactMap { $0.cached(guild: chunk.guild_id.rawValue) }
                state.withLock { state in
                    for member in members { see(member, in: &state) }
                }
            }
        case "GUILD_MEMBER_REMOVE":
            if let removal = decode(CachePayload.MemberRemove.self) {
                state.withLock { state in
                    let key = MemberKey(guild: removal.guild_id.rawValue, user: removal.user.id.rawValue)
                    state.members[key] = nil
                    state.guilds[key.guild]?.voiceChannels[key.user] = nil
                    if let count = state.guilds[key.guild]?.memberCount, count > 0 { state.guilds[key.guild]?.memberCount = count - 1 }
                }
            }
        case "VOICE_STATE_UPDATE":
            if let voice = decode(CachePayload.VoiceState.self), let guild = voice.guild_id?.rawValue {
                state.withLock { state in
                    state.guilds[guild]?.voiceChannels[voice.user_id.rawValue] = voice.channel_id?.rawValue
                    if let member = voice.member?.cached(guild: guild) { see(member, in: &state) }
                }
            }
        case "MESSAGE_CREATE", "MESSAGE_UPDATE":
            if let message = CachePayload.scan(payload, { try CachePayload.Message(scanning: &$0) }) {
                store(message, isNew: event == "MESSAGE_CREATE")
            }
        case "MESSAGE_DELETE", "MESSAGE_DELETE_BULK":
            if let deletion = decode(CachePayload.MessageDelete.self) {
                let ids = Set((deletion.ids ?? []).map(\.rawValue) + [deletion.id?.rawValue].compactMap { $0 })
                state.withLock { state in
                    guard var recent = state.messages[deletion.channel_id.rawValue]?.recent else { return }
                    for index in recent.indices where ids.contains(recent[index].id) { recent[index].deleted = true }
                    state.messages[deletion.channel_id.rawValue]?.recent = recent
                }
            }
        default:
            break
        }
    }

    // MARK: Lookups

    public func guild(_ id: UInt64) -> CachedGuild? {
        state.withLock { $0.guilds[id] }
    }

    public func channel(_ id: UInt64) -> CachedChannel? {
        state.withLock { state in state.channelGuilds[id].flatMap { state.guilds[$0]?.channels[id] } }
    }

    public func member(_ user: UInt64, in guild: UInt64) -> CachedMember? {
        state.withLock { $0.members[MemberKey(guild: guild, user: user)]?.member }
    }

    /// The cached members of `guild` who have `role` (all of them only when every member is cached).
    public func members(withRole role: UInt64, in guild: UInt64) -> [CachedMember] {
        state.withLock { state in
            state.members.values.map(\.member).filter { $0.guildID == guild && $0.roles.contains(role) }
        }.sorted { $0.userID < $1.userID }
    }

    /// A cached message, also after its deletion (flagged), while it is among the channel's recent ones.
    public func message(_ id: UInt64, in channel: UInt64) -> CachedMessage? {
        state.withLock { $0.messages[channel]?.recent.last { $0.id == id } }
    }

    /// The guilds whose cached members include `user`.
    public func guildIDs(withMember user: UInt64) -> [UInt64] {
        state.withLock { state in state.guilds.keys.filter { state.members[MemberKey(guild: $0, user: user)] != nil } }
    }

    /// The bot's own user, from READY.
    public var botUserID: UInt64 { state.withLock { $0.botUserID } }

    /// What `user` may do in `guild`, or in `channel` of it, by Discord's computation; `nil`
    /// when the guild, the channel or the member is not cached.
    public func permissions(of user: UInt64, in guild: UInt64, channel: UInt64? = nil, now: Date = Date()) -> UInt64? {
        state.withLock { state in
            guard let cached = state.guilds[guild], let member = state.members[MemberKey(guild: guild, user: user)]?.member else {
                return nil
            }
            let everyone = cached.roles[guild]?.permissions ?? 0
            let base = PermissionComputation.base(isOwner: cached.ownerID == user, everyone: everyone,
                                                  roles: member.roles.compactMap { cached.roles[$0]?.permissions })
            guard let channel else { return base }
            guard var target = cached.channels[channel] else { return nil }
            // A thread has its parent channel's overwrites.
            if target.isThread, let parent = cached.channels[target.parentID] { target = parent }
            let timedOut = member.timedOutUntil.flatMap(Self.date).map { $0 > now } ?? false
            return PermissionComputation.inChannel(base: base, guild: guild, member: user, roles: member.roles,
                                                   overwrites: target.overwrites, timedOut: timedOut)
        }
    }

    /// What the cache holds, counted.
    public struct Size: Sendable, Equatable {
        public var guilds: Int
        public var channels: Int
        public var roles: Int
        public var members: Int
        public var messages: Int
        /// An estimate of the memory the cached values take: their layouts, strings and the tables' entries.
        public var estimatedBytes: Int
    }

    public func size() -> Size {
        state.withLock { state in
            var size = Size(guilds: state.guilds.count, channels: 0, roles: 0, members: state.members.count, messages: 0, estimatedBytes: 0)
            let entry = 16 // a hash table slot beside the value, on average
            var bytes = 0
            for guild in state.guilds.values {
                size.channels += guild.channels.count
                size.roles += guild.roles.count
                bytes += MemoryLayout<CachedGuild>.stride + guild.name.utf8.count + entry
                bytes += guild.roles.values.reduce(0) { $0 + MemoryLayout<CachedRole>.stride + 8 + entry + $1.name.utf8.count }
                bytes += guild.channels.values.reduce(0) {
                    $0 + MemoryLayout<CachedChannel>.stride + 8 + 2 * entry + $1.name.utf8.count
                        + $1.overwrites.count * MemoryLayout<PermissionOverwrite>.stride
                }
                bytes += guild.emojis.values.reduce(0) { $0 + 8 + entry + $1.utf8.count }
                bytes += guild.voiceChannels.count * (16 + entry)
            }
            for (member, _) in state.members.values {
                bytes += MemoryLayout<CachedMember>.stride + 24 + entry + member.roles.count * 8 + member.username.utf8.count
                    + (member.nick?.utf8.count ?? 0) + (member.globalName?.utf8.count ?? 0) + (member.joinedAt?.utf8.count ?? 0)
            }
            for (recent, _) in state.messages.values {
                size.messages += recent.count
                bytes += entry + recent.reduce(0) { $0 + MemoryLayout<CachedMessage>.stride + $1.content.utf8.count }
            }
            size.estimatedBytes = bytes
            return size
        }
    }

    // MARK: Updates

    private func store(_ guild: CachePayload.Guild, replacing: Bool) {
        let id = guild.id.rawValue
        state.withLock { state in
            var cached = (replacing ? nil : state.guilds[id])
                ?? CachedGuild(id: id, name: "", ownerID: 0, memberCount: 0)
            cached.name = guild.name ?? cached.name
            cached.ownerID = guild.owner_id?.rawValue ?? cached.ownerID
            cached.memberCount = guild.member_count ?? cached.memberCount
            if let roles = guild.roles { cached.roles = Dictionary(roles.map { ($0.id.rawValue, $0.cached) }, uniquingKeysWith: { $1 }) }
            if let emojis = guild.emojis { cached.emojis = Self.emojis(emojis) }
            if replacing {
                if let old = state.guilds[id] { for channel in old.channels.keys { state.channelGuilds[channel] = nil } }
                for channel in (guild.channels ?? []) + (guild.threads ?? []) {
                    cached.channels[channel.id.rawValue] = channel.cached(guild: id)
                    state.channelGuilds[channel.id.rawValue] = id
                }
                cached.voiceChannels = [:]
                for voice in guild.voice_states ?? [] {
                    if let channel = voice.channel_id?.rawValue { cached.voiceChannels[voice.user_id.rawValue] = channel }
                }
            }
            state.guilds[id] = cached
            for member in guild.members ?? [] {
                if let member = member.cached(guild: id) { see(member, in: &state) }
            }
        }
    }

    private func store(_ channel: CachePayload.Channel) {
        guard let guild = channel.guild_id?.rawValue else { return }
        state.withLock { state in
            guard state.guilds[guild] != nil else { return }
            let previous = state.guilds[guild]?.channels[channel.id.rawValue]
            state.guilds[guild]?.channels[channel.id.rawValue] = channel.cached(guild: guild, previous: previous)
            state.channelGuilds[channel.id.rawValue] = guild
        }
    }

    private func store(_ message: CachePayload.Message, isNew: Bool) {
        state.withLock { state in
            let guild = message.guild_id?.rawValue ?? 0
            if guild != 0, let member = message.member?.cached(guild: guild, author: message.author) {
                see(member, in: &state)
            }
            guard limits.messagesPerChannel > 0 else { return }
            let channel = message.channel_id.rawValue
            var recent = state.messages[channel]?.recent ?? []
            if isNew {
                recent.append(CachedMessage(id: message.id.rawValue, channelID: channel, guildID: guild,
                                            authorID: message.author?.id.rawValue ?? 0, content: message.content ?? "", deleted: false))
                if recent.count > limits.messagesPerChannel { recent.removeFirst(recent.count - limits.messagesPerChannel) }
            } else if let content = message.content, let index = recent.lastIndex(where: { $0.id == message.id.rawValue }),
                      recent[index].content != content {
                recent[index].previousContent = recent[index].content
                recent[index].content = content
            }
            state.tick += 1
            state.messages[channel] = (recent, state.tick)
            guard state.messages.count > limits.messageChannels else { return }
            // Evict a tenth at once, so the sort is paid once per many new channels.
            let excess = state.messages.count - limits.messageChannels + max(1, limits.messageChannels / 10)
            for (stale, _) in state.messages.sorted(by: { $0.value.written < $1.value.written }).prefix(excess) {
                state.messages[stale] = nil
            }
        }
    }

    private func remove(guild id: UInt64) {
        state.withLock { state in
            guard let removed = state.guilds.removeValue(forKey: id) else { return }
            for channel in removed.channels.keys {
                state.channelGuilds[channel] = nil
                state.messages[channel] = nil
            }
            state.members = state.members.filter { $0.key.guild != id }
        }
    }

    private func remove(channel id: UInt64) {
        state.withLock { state in
            guard let guild = state.channelGuilds.removeValue(forKey: id) else { return }
            state.guilds[guild]?.channels[id] = nil
            state.messages[id] = nil
        }
    }

    private func remove(role id: UInt64, in guild: UInt64) {
        state.withLock { state in
            state.guilds[guild]?.roles[id] = nil
            for (key, entry) in state.members where key.guild == guild && entry.member.roles.contains(id) {
                state.members[key]?.member.roles.removeAll { $0 == id }
            }
        }
    }

    /// Records a member as seen now, and evicts the least recently seen past the limit (never the bot's own).
    private func see(_ member: CachedMember, in state: inout State) {
        state.tick += 1
        let key = MemberKey(guild: member.guildID, user: member.userID)
        state.members[key] = (member, state.tick)
        guard state.members.count > limits.members else { return }
        // Evict a tenth at once, so the sort is paid once per many insertions.
        let excess = state.members.count - limits.members + max(1, limits.members / 10)
        let bot = state.botUserID
        let oldest = state.members.filter { $0.key.user != bot }.sorted { $0.value.seen < $1.value.seen }.prefix(excess)
        for (key, _) in oldest { state.members[key] = nil }
    }

    private static func emojis(_ emojis: [CachePayload.Emoji]) -> [UInt64: String] {
        Dictionary(emojis.compactMap { emoji in emoji.id.map { ($0.rawValue, emoji.name ?? "") } }, uniquingKeysWith: { $1 })
    }

    // nonisolated(unsafe): ISO8601DateFormatter is thread-safe for parsing once configured.
    nonisolated(unsafe) private static let formatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()

    private static func date(_ text: String) -> Date? {
        formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }
}
