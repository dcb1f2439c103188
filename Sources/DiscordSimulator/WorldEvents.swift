import DiscordModels
import Foundation

/// The people and places of the simulated guilds. Each method changes the simulator's state and
/// emits the dispatch Discord would, only to the sessions whose intents cover it (a session
/// without MESSAGE_CONTENT gets messages with their content emptied, as Discord sends them).
///
/// ```swift
/// let bob = InteractionFactory.Invoker(id: 77, username: "bob")
/// discord.memberJoins(bob)                       // GUILD_MEMBER_ADD
/// let said = discord.say("hello", as: bob)        // MESSAGE_CREATE
/// discord.react("👍", to: said, as: bob)          // MESSAGE_REACTION_ADD
/// discord.deleteMessage(said)                     // MESSAGE_DELETE
/// ```
///
/// `guild` defaults to the first configured guild and `channel` to that guild's channel.
extension DiscordSimulator {
    public typealias Person = InteractionFactory.Invoker

    // MARK: Members

    /// `person` joins the guild: GUILD_MEMBER_ADD.
    public func memberJoins(_ person: Person, guild: SimulatorConfiguration.Guild? = nil) {
        let guild = guild ?? configuration.guilds[0]
        change(guild: guild.id) { world in
            let member = SimulatedWorld.Member(username: person.username)
            world.members[guild.id, default: [:]][Snowflake(person.id)] = member
            return [("GUILD_MEMBER_ADD", SimulatedPayloads.member(Snowflake(person.id), member, guild: guild.id))]
        }
    }

    /// `person` leaves (or is kicked from) the guild: GUILD_MEMBER_REMOVE.
    public func memberLeaves(_ person: Person, guild: SimulatorConfiguration.Guild? = nil) {
        let guild = guild ?? configuration.guilds[0]
        change(guild: guild.id) { world in
            world.members[guild.id]?[Snowflake(person.id)] = nil
            world.voice[guild.id]?[Snowflake(person.id)] = nil
            return [("GUILD_MEMBER_REMOVE", Self.removal(person, guild: guild.id))]
        }
    }

    /// A member's nickname or roles change: GUILD_MEMBER_UPDATE. `nil` leaves a field as it is.
    public func updateMember(_ person: Person, nick: String?? = nil, roles: [Snowflake]? = nil,
                             guild: SimulatorConfiguration.Guild? = nil) {
        let guild = guild ?? configuration.guilds[0]
        change(guild: guild.id) { world in
            var member = world.members[guild.id]?[Snowflake(person.id)] ?? SimulatedWorld.Member(username: person.username)
            if let nick { member.nick = nick }
            if let roles { member.roles = roles }
            world.members[guild.id, default: [:]][Snowflake(person.id)] = member
            return [("GUILD_MEMBER_UPDATE", SimulatedPayloads.member(Snowflake(person.id), member, guild: guild.id))]
        }
    }

    /// Bans `person`: GUILD_BAN_ADD, then GUILD_MEMBER_REMOVE as Discord sends it.
    public func ban(_ person: Person, guild: SimulatorConfiguration.Guild? = nil) {
        let guild = guild ?? configuration.guilds[0]
        change(guild: guild.id) { world in
            world.bans[guild.id, default: []].insert(Snowflake(person.id))
            world.members[guild.id]?[Snowflake(person.id)] = nil
            return [("GUILD_BAN_ADD", Self.removal(person, guild: guild.id)),
                    ("GUILD_MEMBER_REMOVE", Self.removal(person, guild: guild.id))]
        }
    }

    /// Lifts a ban: GUILD_BAN_REMOVE.
    public func unban(_ person: Person, guild: SimulatorConfiguration.Guild? = nil) {
        let guild = guild ?? configuration.guilds[0]
        change(guild: guild.id) { world in
            guard world.bans[guild.id]?.remove(Snowflake(person.id)) != nil else { return [] }
            return [("GUILD_BAN_REMOVE", Self.removal(person, guild: guild.id))]
        }
    }

    /// `person` joins voice `channel`, or leaves voice with `nil`: VOICE_STATE_UPDATE.
    public func voice(_ person: Person, joins channel: Snowflake?, guild: SimulatorConfiguration.Guild? = nil) {
        let guild = guild ?? configuration.guilds[0]
        change(guild: guild.id) { world in
            world.voice[guild.id, default: [:]][Snowflake(person.id)] = channel
            let member = world.members[guild.id]?[Snowflake(person.id)] ?? SimulatedWorld.Member(username: person.username)
            return [("VOICE_STATE_UPDATE", [
                "guild_id": guild.id.description, "channel_id": channel?.description as Any? ?? NSNull(),
                "user_id": String(person.id), "member": SimulatedPayloads.member(Snowflake(person.id), member, guild: nil),
                "session_id": "voice\(person.id)", "deaf": false, "mute": false, "self_deaf": false, "self_mute": false,
                "self_video": false, "suppress": false, "request_to_speak_timestamp": NSNull(),
            ])]
        }
    }

    // MARK: Messages

    /// `person` posts `content` in `channel`: MESSAGE_CREATE.
    ///
    /// - Returns: The new message's id, to edit, delete or react to.
    @discardableResult
    public func say(_ content: String, as person: Person, channel: Snowflake? = nil,
                    guild: SimulatorConfiguration.Guild? = nil) -> Snowflake {
        let guild = guild ?? configuration.guilds[0]
        let channel = channel ?? guild.channelID
        return state.withStorage { storage in
            let id = storage.world.makeID()
            let author = SimulatedPayloads.user(id: Snowflake(person.id), username: person.username, bot: false)
            let body = SimulatedPayloads.json(["content": content])
            storage.postedMessages[id] = SimulatedMessage(channelID: channel, authorID: Snowflake(person.id), body: body,
                                                          edits: 0, reactions: [])
            let member = storage.world.members[guild.id]?[Snowflake(person.id)] ?? SimulatedWorld.Member(username: person.username)
            state.emitMessage(&storage, "MESSAGE_CREATE", id: id, channel: channel, guild: guild.id, content: content, author: author,
                        member: member)
            return id
        }
    }

    /// Replaces the content of message `id` (a member's or the bot's): MESSAGE_UPDATE.
    public func editMessage(_ id: Snowflake, content: String) {
        state.withStorage { storage in
            guard let message = storage.postedMessages[id] else { return }
            storage.postedMessages[id]?.body = SimulatedPayloads.json(["content": content])
            storage.postedMessages[id]?.edits += 1
            let guild = storage.world.guild(of: message.channelID, in: configuration)
            let author = state.author(of: message, in: storage)
            let member = guild.flatMap { storage.world.members[$0]?[message.authorID] }
            state.emitMessage(&storage, "MESSAGE_UPDATE", id: id, channel: message.channelID, guild: guild, content: content,
                        author: author, member: member, edited: true)
        }
    }

    /// Deletes message `id`: MESSAGE_DELETE.
    public func deleteMessage(_ id: Snowflake) {
        state.withStorage { storage in
            guard let message = storage.postedMessages.removeValue(forKey: id) else { return }
            let guild = storage.world.guild(of: message.channelID, in: configuration)
            var payload: [String: Any] = ["id": id.description, "channel_id": message.channelID.description]
            if let guild { payload["guild_id"] = guild.description }
            state.broadcast(&storage, event: "MESSAGE_DELETE", data: SimulatedPayloads.json(payload), guild: guild, byIntent: true)
        }
    }

    /// Deletes several messages of one channel at once, as a moderator's purge: MESSAGE_DELETE_BULK.
    /// Ids of other channels than the first id's are left alone.
    public func bulkDelete(_ ids: [Snowflake]) {
        state.withStorage { storage in
            // One channel's messages, as Discord's bulk delete takes: the first id's channel.
            guard let channel = ids.compactMap({ storage.postedMessages[$0]?.channelID }).first else { return }
            let removed = ids.filter { storage.postedMessages[$0]?.channelID == channel }.map { id in
                storage.postedMessages[id] = nil
                return (id, channel)
            }
            let guild = storage.world.guild(of: channel, in: configuration)
            var payload: [String: Any] = ["ids": removed.map { $0.0.description }, "channel_id": channel.description]
            if let guild { payload["guild_id"] = guild.description }
            state.broadcast(&storage, event: "MESSAGE_DELETE_BULK", data: SimulatedPayloads.json(payload), guild: guild,
                            byIntent: true)
        }
    }

    // MARK: Reactions

    /// `person` reacts to message `id` with a Unicode `emoji`: MESSAGE_REACTION_ADD, unless they
    /// already had (Discord sends nothing for a repeated reaction).
    public func react(_ emoji: String, to id: Snowflake, as person: Person) {
        reaction(emoji, on: id, by: Snowflake(person.id), username: person.username, adding: true)
    }

    /// `person` takes their reaction away: MESSAGE_REACTION_REMOVE.
    public func unreact(_ emoji: String, to id: Snowflake, as person: Person) {
        reaction(emoji, on: id, by: Snowflake(person.id), username: person.username, adding: false)
    }

    /// A moderator clears every reaction on message `id`: MESSAGE_REACTION_REMOVE_ALL.
    public func clearReactions(_ id: Snowflake) {
        state.withStorage { storage in
            guard let message = storage.postedMessages[id] else { return }
            storage.postedMessages[id]?.reactions = []
            storage.postedMessages[id]?.memberReactions = []
            let guild = storage.world.guild(of: message.channelID, in: configuration)
            var payload: [String: Any] = ["channel_id": message.channelID.description, "message_id": id.description]
            if let guild { payload["guild_id"] = guild.description }
            state.broadcast(&storage, event: "MESSAGE_REACTION_REMOVE_ALL", data: SimulatedPayloads.json(payload), guild: guild,
                            byIntent: true)
        }
    }

    private func reaction(_ emoji: String, on id: Snowflake, by user: Snowflake, username: String, adding: Bool) {
        state.withStorage { storage in _ = state.reaction(&storage, emoji, on: id, by: user, username: username, adding: adding) }
    }

    // MARK: Roles, channels and threads

    /// Creates a role at `position` (1, just above @everyone, by default; the bot's role is at
    /// ``SimulatorConfiguration/botRolePosition``): GUILD_ROLE_CREATE. - Returns: Its id.
    @discardableResult
    public func createRole(_ name: String, permissions: UInt64 = 0, position: Int = 1,
                           guild: SimulatorConfiguration.Guild? = nil) -> Snowflake {
        let guild = guild ?? configuration.guilds[0]
        return state.withStorage { storage in
            let id = storage.world.makeID()
            let role = SimulatedWorld.Role(name: name, permissions: permissions, position: position)
            storage.world.roles[guild.id, default: [:]][id] = role
            let payload: [String: Any] = ["guild_id": guild.id.description, "role": SimulatedPayloads.role(id, role)]
            state.broadcast(&storage, event: "GUILD_ROLE_CREATE", data: SimulatedPayloads.json(payload), guild: guild.id,
                            byIntent: true)
            return id
        }
    }

    /// Renames a role or changes its permissions: GUILD_ROLE_UPDATE.
    public func updateRole(_ id: Snowflake, name: String? = nil, permissions: UInt64? = nil,
                           guild: SimulatorConfiguration.Guild? = nil) {
        let guild = guild ?? configuration.guilds[0]
        change(guild: guild.id) { world in
            guard var role = world.roles[guild.id]?[id] else { return [] }
            if let name { role.name = name }
            if let permissions { role.permissions = permissions }
            world.roles[guild.id]?[id] = role
            return [("GUILD_ROLE_UPDATE", ["guild_id": guild.id.description,
                                           "role": SimulatedPayloads.role(id, role)])]
        }
    }

    /// Deletes a role, and takes it from every member: GUILD_ROLE_DELETE.
    public func deleteRole(_ id: Snowflake, guild: SimulatorConfiguration.Guild? = nil) {
        let guild = guild ?? configuration.guilds[0]
        change(guild: guild.id) { world in
            guard world.roles[guild.id]?.removeValue(forKey: id) != nil else { return [] }
            for member in world.members[guild.id].map({ Array($0.keys) }) ?? [] {
                world.members[guild.id]?[member]?.roles.removeAll { $0 == id }
            }
            return [("GUILD_ROLE_DELETE", ["guild_id": guild.id.description, "role_id": id.description])]
        }
    }

    /// Creates a channel (text 0, voice 2, category 4): CHANNEL_CREATE. - Returns: Its id.
    @discardableResult
    public func createChannel(_ name: String, type: Int = 0, guild: SimulatorConfiguration.Guild? = nil) -> Snowflake {
        createChannel(SimulatedWorld.Channel(name: name, type: type, parentID: nil), event: "CHANNEL_CREATE", guild: guild)
    }

    /// Renames a channel or thread: CHANNEL_UPDATE, or THREAD_UPDATE for a thread.
    public func renameChannel(_ id: Snowflake, to name: String, guild: SimulatorConfiguration.Guild? = nil) {
        let guild = guild ?? configuration.guilds[0]
        change(guild: guild.id) { world in
            guard var channel = world.channels[guild.id]?[id] else { return [] }
            channel.name = name
            world.channels[guild.id]?[id] = channel
            return [(channel.isThread ? "THREAD_UPDATE" : "CHANNEL_UPDATE",
                     SimulatedPayloads.channel(id, channel, guild: guild.id, position: 1))]
        }
    }

    /// Deletes a channel or thread: CHANNEL_DELETE, or THREAD_DELETE for a thread.
    public func deleteChannel(_ id: Snowflake, guild: SimulatorConfiguration.Guild? = nil) {
        let guild = guild ?? configuration.guilds[0]
        change(guild: guild.id) { world in
            guard let channel = world.channels[guild.id]?.removeValue(forKey: id) else { return [] }
            guard channel.isThread else {
                return [("CHANNEL_DELETE", SimulatedPayloads.channel(id, channel, guild: guild.id, position: 1))]
            }
            return [("THREAD_DELETE", ["id": id.description, "guild_id": guild.id.description, "type": channel.type,
                                       "parent_id": channel.parentID?.description as Any? ?? NSNull()])]
        }
    }

    /// Opens a public thread in `channel`: THREAD_CREATE. - Returns: The thread's id.
    @discardableResult
    public func createThread(_ name: String, in channel: Snowflake? = nil, guild: SimulatorConfiguration.Guild? = nil) -> Snowflake {
        let parent = channel ?? (guild ?? configuration.guilds[0]).channelID
        return createChannel(SimulatedWorld.Channel(name: name, type: 11, parentID: parent), event: "THREAD_CREATE", guild: guild)
    }

    // MARK: Guilds

    /// The bot is added to a new guild: GUILD_CREATE to the session of its shard. - Returns: The guild.
    @discardableResult
    public func botJoinsGuild(named name: String) -> SimulatorConfiguration.Guild {
        state.withStorage { storage in
            let guild = SimulatorConfiguration.Guild(id: storage.world.makeID(), name: name, channelID: storage.world.makeID())
            storage.world.joinedGuilds.append(guild)
            storage.world.addBotRole(in: guild.id, configuration: configuration)
            for (id, session) in storage.sessions where SimulatorState.shard(of: guild.id, count: session.shard[1]) == session.shard[0] {
                let payload = SimulatedPayloads.guildCreate(guild, world: storage.world, bot: configuration,
                                                            withPresences: session.intents.contains(.guildPresences))
                state.emit(&storage, session: id, event: "GUILD_CREATE", data: payload)
            }
            return guild
        }
    }

    /// The bot is removed from `guild`, or with `outage` the guild becomes unavailable: GUILD_DELETE.
    public func botLeavesGuild(_ guild: SimulatorConfiguration.Guild, outage: Bool = false) {
        state.withStorage { storage in
            if !outage { storage.world.joinedGuilds.removeAll { $0.id == guild.id } }
            var payload: [String: Any] = ["id": guild.id.description]
            if outage { payload["unavailable"] = true }
            state.broadcast(&storage, event: "GUILD_DELETE", data: SimulatedPayloads.json(payload), guild: guild.id, byIntent: true)
        }
    }

    // MARK: Plumbing

    /// Applies `body` to the world and emits the dispatches it returns, under one lock so the
    /// events leave in the order of the changes.
    private func change(guild: Snowflake, _ body: (inout SimulatedWorld) -> [(String, [String: Any])]) {
        state.withStorage { storage in
            for (event, payload) in body(&storage.world) {
                state.broadcast(&storage, event: event, data: SimulatedPayloads.json(payload), guild: guild, byIntent: true)
            }
        }
    }

    private static func removal(_ person: Person, guild: Snowflake) -> [String: Any] {
        ["guild_id": guild.description, "user": SimulatedPayloads.user(id: Snowflake(person.id), username: person.username, bot: false)]
    }

    private func createChannel(_ channel: SimulatedWorld.Channel, event: String, guild: SimulatorConfiguration.Guild?) -> Snowflake {
        let guild = guild ?? configuration.guilds[0]
        return state.withStorage { storage in
            let id = storage.world.makeID()
            storage.world.channels[guild.id, default: [:]][id] = channel
            let position = storage.world.channels[guild.id]?.count ?? 1
            var payload = SimulatedPayloads.channel(id, channel, guild: guild.id, position: position)
            if channel.isThread {
                payload["owner_id"] = configuration.botUserID.description
                payload["thread_metadata"] = ["archived": false, "auto_archive_duration": 1440, "locked": false,
                                              "archive_timestamp": ISO8601DateFormatter().string(from: Date())]
                payload["newly_created"] = true
            }
            state.broadcast(&storage, event: event, data: SimulatedPayloads.json(payload), guild: guild.id, byIntent: true)
            return id
        }
    }
}

/// The message and reaction events, shared by the world methods and the REST endpoints (the
/// bot's own posts, edits and reactions are dispatched too, as Discord does).
extension SimulatorState {
    func author(of message: SimulatedMessage, in storage: SimulatorState.Storage) -> [String: Any] {
        if message.authorID == configuration.botUserID || message.authorID == 0 { return SimulatedPayloads.botUser(configuration) }
        let guild = storage.world.guild(of: message.channelID, in: configuration)
        let username = guild.flatMap { storage.world.members[$0]?[message.authorID]?.username } ?? "user\(message.authorID)"
        return SimulatedPayloads.user(id: message.authorID, username: username, bot: false)
    }

    /// MESSAGE_CREATE or MESSAGE_UPDATE, with the content emptied for sessions without
    /// MESSAGE_CONTENT unless the bot wrote it or is mentioned in it.
    func emitMessage(_ storage: inout SimulatorState.Storage, _ event: String, id: Snowflake, channel: Snowflake,
                     guild: Snowflake?, content: String, author: [String: Any], member: SimulatedWorld.Member?,
                     edited: Bool = false) {
        var message = SimulatedPayloads.message(id: id, channel: channel, content: content, author: author)
        if edited { message["edited_timestamp"] = ISO8601DateFormatter().string(from: Date()) }
        if let guild {
            message["guild_id"] = guild.description
            if let member {
                var partial = SimulatedPayloads.member(0, member, guild: nil)
                partial["user"] = nil
                message["member"] = partial
            }
        }
        let botID = configuration.botUserID.description
        let exempt = author["id"] as? String == botID || content.contains("<@\(botID)>") || content.contains("<@!\(botID)>")
        // What Discord empties for an app without MESSAGE_CONTENT.
        var withoutContent = message
        withoutContent["content"] = ""
        for field in ["embeds", "attachments", "components"] { withoutContent[field] = [Any]() }
        broadcast(&storage, event: event, data: SimulatedPayloads.json(message), guild: guild, byIntent: true,
                        withoutContent: exempt ? nil : SimulatedPayloads.json(withoutContent))
    }

    func reaction(_ storage: inout SimulatorState.Storage, _ emoji: String, on id: Snowflake, by user: Snowflake,
                  username: String, adding: Bool) -> Bool {
        guard let message = storage.postedMessages[id] else { return false }
        let key = "\(emoji) \(user)"
        let changed = adding ? storage.postedMessages[id]?.memberReactions.insert(key).inserted == true
                             : storage.postedMessages[id]?.memberReactions.remove(key) != nil
        guard changed else { return true }
        if user == configuration.botUserID {
            if adding { storage.postedMessages[id]?.reactions.append(emoji) }
            else { storage.postedMessages[id]?.reactions.removeAll { $0 == emoji } }
        }
        let guild = storage.world.guild(of: message.channelID, in: configuration)
        var payload: [String: Any] = [
            "user_id": user.description, "channel_id": message.channelID.description, "message_id": id.description,
            "emoji": ["id": NSNull(), "name": emoji], "burst": false, "type": 0,
        ]
        if let guild {
            payload["guild_id"] = guild.description
            if adding {
                let member = storage.world.members[guild]?[user] ?? SimulatedWorld.Member(username: username)
                payload["member"] = SimulatedPayloads.member(user, member, guild: nil)
            }
        }
        if adding { payload["message_author_id"] = (message.authorID == 0 ? configuration.botUserID : message.authorID).description }
        broadcast(&storage, event: adding ? "MESSAGE_REACTION_ADD" : "MESSAGE_REACTION_REMOVE",
                        data: SimulatedPayloads.json(payload), guild: guild, byIntent: true)
        return true
    }
}
