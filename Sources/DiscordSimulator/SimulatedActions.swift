import DiscordModels
import Foundation
import HTTPTypes
import Hummingbird

/// The REST endpoints of the actions cogs take besides posting: messages (fetch, bulk delete,
/// pins), members (roles, nickname, timeout, kick, bans), roles, threads and direct messages.
/// Each answers as Discord does, with its errors (10007 Unknown Member, 50013 Missing
/// Permissions when the bot lacks the permission or the target is not below the bot's highest
/// role, …), and emits the dispatches Discord sends for the change.
extension SimulatedREST {
    func registerActions(on router: Router<Context>, prefix api: String) {
        route(router, .get, api, "/channels/{channel_id}/messages", major: "channel_id") { self.recentMessages($0) }
        route(router, .post, api, "/channels/{channel_id}/messages/bulk-delete", major: "channel_id") { self.bulkDelete($0) }
        for method in [HTTPRequest.Method.put, .delete] {
            route(router, method, api, "/channels/{channel_id}/messages/pins/{message_id}", major: "channel_id") {
                self.pin($0, pinned: method == .put)
            }
            route(router, method, api, "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", major: "guild_id") {
                self.memberRole($0, adding: method == .put)
            }
        }
        route(router, .patch, api, "/guilds/{guild_id}/members/{user_id}", major: "guild_id") { self.editMember($0) }
        route(router, .delete, api, "/guilds/{guild_id}/members/{user_id}", major: "guild_id") { self.kick($0) }
        route(router, .put, api, "/guilds/{guild_id}/bans/{user_id}", major: "guild_id") { self.ban($0) }
        route(router, .delete, api, "/guilds/{guild_id}/bans/{user_id}", major: "guild_id") { self.unban($0) }
        route(router, .post, api, "/guilds/{guild_id}/roles", major: "guild_id") { self.createRole($0) }
        for method in [HTTPRequest.Method.patch, .delete] {
            route(router, method, api, "/guilds/{guild_id}/roles/{role_id}", major: "guild_id") { self.changeRole($0, deleting: method == .delete) }
        }
        route(router, .post, api, "/channels/{channel_id}/messages/{message_id}/threads", major: "channel_id") { self.createThread($0) }
        route(router, .post, api, "/channels/{channel_id}/threads", major: "channel_id") { self.createThread($0) }
        route(router, .patch, api, "/channels/{channel_id}", major: "channel_id") { self.editThread($0) }
        route(router, .put, api, "/channels/{channel_id}/thread-members/{user_id}", major: "channel_id") { self.addThreadMember($0) }
        route(router, .post, api, "/users/@me/channels", major: nil) { self.openDirectMessage($0) }
    }

    // MARK: Messages

    /// `GET …/messages?limit=&before=`: newest first.
    private func recentMessages(_ call: Call) -> Reply {
        let channel = call.snowflake("channel_id")
        let limit = Int(call.query["limit"] ?? "50") ?? 50
        guard (1...100).contains(limit) else { return .error(400, code: 50035, "Invalid Form Body: limit") }
        let before = call.query["before"].flatMap(UInt64.init)
        return state.withStorage { storage -> Reply in
            guard storage.world.guild(of: channel, in: configuration) != nil || storage.world.directMessageChannels.values.contains(channel) else {
                return .error(404, code: 10003, "Unknown Channel")
            }
            let messages = storage.postedMessages.filter { entry in
                entry.value.channelID == channel && before.map { entry.key.rawValue < $0 } ?? true
            }
                .sorted { $0.key.rawValue > $1.key.rawValue }.prefix(limit)
                .map { messageObject($0.key, $0.value, in: storage) }
            return .json(SimulatedPayloads.json(messages))
        }
    }

    /// `POST …/messages/bulk-delete`: 2–100 messages under 14 days old, with Manage Messages; MESSAGE_DELETE_BULK.
    private func bulkDelete(_ call: Call) -> Reply {
        let channel = call.snowflake("channel_id")
        guard let ids = (call.object?["messages"] as? [String])?.compactMap(UInt64.init), (2...100).contains(ids.count) else {
            return .error(400, code: 50035, "Invalid Form Body: messages must have 2 to 100 ids")
        }
        if ids.contains(where: { Date().timeIntervalSince(Snowflake($0).date) > 14 * 86_400 }) {
            return .error(400, code: 50034, "You can only bulk delete messages that are under 14 days old.")
        }
        return state.withStorage { storage -> Reply in
            guard let guild = storage.world.guild(of: channel, in: configuration) else { return .error(404, code: 10003, "Unknown Channel") }
            guard storage.world.botPermissions(in: guild) & Self.manageMessages != 0 else { return .missingPermissions }
            let removed = ids.filter { storage.postedMessages[Snowflake($0)]?.channelID == channel }
            for id in removed { storage.postedMessages[Snowflake(id)] = nil }
            let payload: [String: Any] = ["ids": removed.map(String.init), "channel_id": channel.description, "guild_id": guild.description]
            state.broadcast(&storage, event: "MESSAGE_DELETE_BULK", data: SimulatedPayloads.json(payload), guild: guild, byIntent: true)
            return .noContent
        }
    }

    /// `PUT`/`DELETE …/messages/pins/{message_id}`, with Manage Messages; CHANNEL_PINS_UPDATE.
    private func pin(_ call: Call, pinned: Bool) -> Reply {
        let channel = call.snowflake("channel_id")
        let id = call.snowflake("message_id")
        return state.withStorage { storage -> Reply in
            guard storage.postedMessages[id]?.channelID == channel else { return .error(404, code: 10008, "Unknown Message") }
            guard let guild = storage.world.guild(of: channel, in: configuration) else { return .error(404, code: 10003, "Unknown Channel") }
            guard storage.world.botPermissions(in: guild) & Self.manageMessages != 0 else { return .missingPermissions }
            storage.postedMessages[id]?.pinned = pinned
            let payload: [String: Any] = ["guild_id": guild.description, "channel_id": channel.description,
                                          "last_pin_timestamp": ISO8601DateFormatter().string(from: Date())]
            state.broadcast(&storage, event: "CHANNEL_PINS_UPDATE", data: SimulatedPayloads.json(payload), guild: guild, byIntent: true)
            return .noContent
        }
    }

    // MARK: Members

    /// `PUT`/`DELETE …/members/{user_id}/roles/{role_id}`: Manage Roles and a role below the bot's; GUILD_MEMBER_UPDATE.
    private func memberRole(_ call: Call, adding: Bool) -> Reply {
        let (guild, user, role) = (call.snowflake("guild_id"), call.snowflake("user_id"), call.snowflake("role_id"))
        return changeMember(guild: guild, user: user, needs: Self.manageRoles, hierarchy: false) { world, member in
            guard let target = world.roles[guild]?[role] else { return .error(404, code: 10011, "Unknown Role") }
            guard !target.managed, target.position < world.topPosition(of: configuration.botUserID, in: guild, configuration: configuration) else {
                return .missingPermissions
            }
            if adding, !member.roles.contains(role) { member.roles.append(role) }
            if !adding { member.roles.removeAll { $0 == role } }
            return nil
        }
    }

    /// `PATCH …/members/{user_id}`: `nick` (Manage Nicknames) and `communication_disabled_until`
    /// (Timeout Members, at most 28 days, never an administrator); GUILD_MEMBER_UPDATE.
    private func editMember(_ call: Call) -> Reply {
        let (guild, user) = (call.snowflake("guild_id"), call.snowflake("user_id"))
        guard let fields = call.object else { return .error(400, code: 50035, "Invalid Form Body") }
        var needed: UInt64 = 0
        if fields["nick"] != nil { needed |= Self.manageNicknames }
        if fields["communication_disabled_until"] != nil { needed |= Self.moderateMembers }
        if let until = fields["communication_disabled_until"] as? String {
            guard let date = Self.date(until), date.timeIntervalSinceNow <= 28 * 86_400 else {
                return .error(400, code: 50035, "Invalid Form Body: communication_disabled_until must be within 28 days")
            }
        }
        return changeMember(guild: guild, user: user, needs: needed, hierarchy: true) { world, member in
            if let nick = fields["nick"] { member.nick = nick as? String }
            if let until = fields["communication_disabled_until"] {
                if until is String, world.memberPermissions(of: user, in: guild) & 1 << 3 != 0 { return .missingPermissions }
                member.timedOutUntil = until as? String
            }
            return nil
        }
    }

    /// `DELETE …/members/{user_id}`: Kick Members and a member below the bot; GUILD_MEMBER_REMOVE.
    private func kick(_ call: Call) -> Reply {
        let (guild, user) = (call.snowflake("guild_id"), call.snowflake("user_id"))
        return state.withStorage { storage -> Reply in
            if let refusal = refusal(toModerate: user, in: guild, needs: Self.kickMembers, mustBeMember: true, storage: storage) { return refusal }
            let member = storage.world.members[guild]?.removeValue(forKey: user)
            state.broadcast(&storage, event: "GUILD_MEMBER_REMOVE", data: SimulatedPayloads.json(removal(user, member, guild: guild)),
                            guild: guild, byIntent: true)
            return .noContent
        }
    }

    /// `PUT …/bans/{user_id}`: Ban Members, a member below the bot, at most 7 days of messages; GUILD_BAN_ADD (and GUILD_MEMBER_REMOVE).
    private func ban(_ call: Call) -> Reply {
        let (guild, user) = (call.snowflake("guild_id"), call.snowflake("user_id"))
        let seconds = call.object?["delete_message_seconds"] as? Int ?? 0
        guard (0...604_800).contains(seconds) else { return .error(400, code: 50035, "Invalid Form Body: delete_message_seconds") }
        return state.withStorage { storage -> Reply in
            if let refusal = refusal(toModerate: user, in: guild, needs: Self.banMembers, mustBeMember: false, storage: storage) { return refusal }
            storage.world.bans[guild, default: []].insert(user)
            let member = storage.world.members[guild]?.removeValue(forKey: user)
            let payload = SimulatedPayloads.json(removal(user, member, guild: guild))
            state.broadcast(&storage, event: "GUILD_BAN_ADD", data: payload, guild: guild, byIntent: true)
            if member != nil { state.broadcast(&storage, event: "GUILD_MEMBER_REMOVE", data: payload, guild: guild, byIntent: true) }
            return .noContent
        }
    }

    /// `DELETE …/bans/{user_id}`: 10026 Unknown Ban unless banned; GUILD_BAN_REMOVE.
    private func unban(_ call: Call) -> Reply {
        let (guild, user) = (call.snowflake("guild_id"), call.snowflake("user_id"))
        return state.withStorage { storage -> Reply in
            guard storage.world.guilds(in: configuration).contains(where: { $0.id == guild }) else { return .error(404, code: 10004, "Unknown Guild") }
            guard storage.world.botPermissions(in: guild) & Self.banMembers != 0 else { return .missingPermissions }
            guard storage.world.bans[guild]?.remove(user) != nil else { return .error(404, code: 10026, "Unknown Ban") }
            state.broadcast(&storage, event: "GUILD_BAN_REMOVE", data: SimulatedPayloads.json(removal(user, nil, guild: guild)),
                            guild: guild, byIntent: true)
            return .noContent
        }
    }

    // MARK: Roles

    /// `POST …/roles`: Manage Roles, no permission the bot lacks; GUILD_ROLE_CREATE, 200 with the role.
    private func createRole(_ call: Call) -> Reply {
        let guild = call.snowflake("guild_id")
        let fields = call.object ?? [:]
        let permissions = Self.permissions(fields["permissions"]) ?? 0
        return state.withStorage { storage -> Reply in
            let own = storage.world.botPermissions(in: guild)
            guard own & Self.manageRoles != 0, permissions & ~own == 0 else { return .missingPermissions }
            let id = storage.world.makeID()
            let role = SimulatedWorld.Role(name: fields["name"] as? String ?? "new role", permissions: permissions)
            storage.world.roles[guild, default: [:]][id] = role
            let object = SimulatedPayloads.role(id, role)
            state.broadcast(&storage, event: "GUILD_ROLE_CREATE", data: SimulatedPayloads.json(["guild_id": guild.description, "role": object]),
                            guild: guild, byIntent: true)
            return .json(SimulatedPayloads.json(object))
        }
    }

    /// `PATCH`/`DELETE …/roles/{role_id}` of a role below the bot's; GUILD_ROLE_UPDATE or GUILD_ROLE_DELETE.
    private func changeRole(_ call: Call, deleting: Bool) -> Reply {
        let (guild, id) = (call.snowflake("guild_id"), call.snowflake("role_id"))
        let fields = call.object ?? [:]
        return state.withStorage { storage -> Reply in
            guard var role = storage.world.roles[guild]?[id] else { return .error(404, code: 10011, "Unknown Role") }
            let own = storage.world.botPermissions(in: guild)
            let permissions = Self.permissions(fields["permissions"])
            guard own & Self.manageRoles != 0, !role.managed || !deleting,
                  role.position < storage.world.topPosition(of: configuration.botUserID, in: guild, configuration: configuration),
                  (permissions ?? 0) & ~own == 0 else {
                return .missingPermissions
            }
            if deleting {
                storage.world.roles[guild]?[id] = nil
                for member in storage.world.members[guild].map({ Array($0.keys) }) ?? [] {
                    storage.world.members[guild]?[member]?.roles.removeAll { $0 == id }
                }
                state.broadcast(&storage, event: "GUILD_ROLE_DELETE",
                                data: SimulatedPayloads.json(["guild_id": guild.description, "role_id": id.description]), guild: guild, byIntent: true)
                return .noContent
            }
            if let name = fields["name"] as? String { role.name = name }
            if let permissions { role.permissions = permissions }
            storage.world.roles[guild]?[id] = role
            let object = SimulatedPayloads.role(id, role)
            state.broadcast(&storage, event: "GUILD_ROLE_UPDATE", data: SimulatedPayloads.json(["guild_id": guild.description, "role": object]),
                            guild: guild, byIntent: true)
            return .json(SimulatedPayloads.json(object))
        }
    }

    // MARK: Threads and direct messages

    /// `POST …/messages/{message_id}/threads` or `POST …/threads`: Create Public (or Private)
    /// Threads; one thread per message (160004); THREAD_CREATE, 201 with the channel.
    private func createThread(_ call: Call) -> Reply {
        let channel = call.snowflake("channel_id")
        let message = call.parameters["message_id"].flatMap { UInt64($0) }.map { Snowflake($0) }
        guard let name = call.object?["name"] as? String, (1...100).contains(name.count) else {
            return .error(400, code: 50035, "Invalid Form Body: name")
        }
        let type = message == nil ? call.object?["type"] as? Int ?? 12 : 11
        return state.withStorage { storage -> Reply in
            guard let guild = storage.world.guild(of: channel, in: configuration) else { return .error(404, code: 10003, "Unknown Channel") }
            if let message {
                guard storage.postedMessages[message]?.channelID == channel else { return .error(404, code: 10008, "Unknown Message") }
                guard storage.world.channels[guild]?[message] == nil else {
                    return .error(400, code: 160004, "A thread has already been created for this message")
                }
            }
            let needed: UInt64 = type == 12 ? 1 << 36 : 1 << 35
            guard storage.world.botPermissions(in: guild) & needed != 0 else { return .missingPermissions }
            // A thread from a message has the message's id, as on Discord.
            let id = message ?? storage.world.makeID()
            let thread = SimulatedWorld.Channel(name: name, type: type, parentID: channel)
            storage.world.channels[guild, default: [:]][id] = thread
            var object = SimulatedPayloads.channel(id, thread, guild: guild, position: 0)
            object["owner_id"] = configuration.botUserID.description
            object["thread_metadata"] = ["archived": false, "auto_archive_duration": call.object?["auto_archive_duration"] as? Int ?? 4320,
                                         "locked": false, "archive_timestamp": ISO8601DateFormatter().string(from: Date())]
            var created = object
            created["newly_created"] = true
            state.broadcast(&storage, event: "THREAD_CREATE", data: SimulatedPayloads.json(created), guild: guild, byIntent: true)
            return .json(SimulatedPayloads.json(object), status: 201)
        }
    }

    /// `PATCH /channels/{channel_id}` of a thread: `archived`, `locked` (Manage Threads to lock); THREAD_UPDATE.
    private func editThread(_ call: Call) -> Reply {
        let id = call.snowflake("channel_id")
        let fields = call.object ?? [:]
        return state.withStorage { storage -> Reply in
            guard let guild = storage.world.guild(of: id, in: configuration) else { return .error(404, code: 10003, "Unknown Channel") }
            guard let thread = storage.world.channels[guild]?[id], thread.isThread else {
                return .error(400, code: 50024, "Cannot execute action on this channel type")
            }
            if fields["locked"] as? Bool == true, storage.world.botPermissions(in: guild) & Self.manageThreads == 0 { return .missingPermissions }
            var object = SimulatedPayloads.channel(id, thread, guild: guild, position: 0)
            object["thread_metadata"] = ["archived": fields["archived"] as? Bool ?? false, "auto_archive_duration": 4320,
                                         "locked": fields["locked"] as? Bool ?? false,
                                         "archive_timestamp": ISO8601DateFormatter().string(from: Date())]
            state.broadcast(&storage, event: "THREAD_UPDATE", data: SimulatedPayloads.json(object), guild: guild, byIntent: true)
            return .json(SimulatedPayloads.json(object))
        }
    }

    /// `PUT …/thread-members/{user_id}`: 10003 for a channel that is no thread, 10007 for a non-member.
    private func addThreadMember(_ call: Call) -> Reply {
        let (id, user) = (call.snowflake("channel_id"), call.snowflake("user_id"))
        return state.withStorage { storage -> Reply in
            guard let guild = storage.world.guild(of: id, in: configuration), storage.world.channels[guild]?[id]?.isThread == true else {
                return .error(404, code: 10003, "Unknown Channel")
            }
            guard storage.world.members[guild]?[user] != nil else { return .error(404, code: 10007, "Unknown Member") }
            return .noContent
        }
    }

    /// `POST /users/@me/channels`: the DM channel with a member of any guild (10013 for anyone else).
    private func openDirectMessage(_ call: Call) -> Reply {
        guard let user = (call.object?["recipient_id"] as? String).flatMap({ UInt64($0) }).map({ Snowflake($0) }) else {
            return .error(400, code: 50035, "Invalid Form Body: recipient_id")
        }
        return state.withStorage { storage -> Reply in
            guard let member = storage.world.members.values.lazy.compactMap({ $0[user] }).first else {
                return .error(404, code: 10013, "Unknown User")
            }
            let channel = storage.world.directMessageChannels[user] ?? storage.world.makeID()
            storage.world.directMessageChannels[user] = channel
            return .json(SimulatedPayloads.json([
                "id": channel.description, "type": 1, "last_message_id": NSNull(), "flags": 0,
                "recipients": [SimulatedPayloads.user(id: user, username: member.username, bot: false)],
            ]))
        }
    }

    // MARK: Checks

    /// Applies `change` to a member with the bot's `needs` permissions, after Discord's checks
    /// (unknown guild or member, the owner and members not below the bot with `hierarchy`);
    /// `change` returns a refusal or `nil`. Emits GUILD_MEMBER_UPDATE.
    private func changeMember(guild: Snowflake, user: Snowflake, needs: UInt64, hierarchy: Bool,
                              _ change: (SimulatedWorld, inout SimulatedWorld.Member) -> Reply?) -> Reply {
        state.withStorage { storage -> Reply in
            if let refusal = refusal(toModerate: user, in: guild, needs: needs, mustBeMember: true, hierarchy: hierarchy, storage: storage) {
                return refusal
            }
            guard var member = storage.world.members[guild]?[user] else { return .error(404, code: 10007, "Unknown Member") }
            if let refusal = change(storage.world, &member) { return refusal }
            storage.world.members[guild]?[user] = member
            state.broadcast(&storage, event: "GUILD_MEMBER_UPDATE", data: SimulatedPayloads.json(SimulatedPayloads.member(user, member, guild: guild)),
                            guild: guild, byIntent: true)
            return .noContent
        }
    }

    /// Why Discord refuses the bot acting on `user` in `guild`, or `nil` when it would not.
    private func refusal(toModerate user: Snowflake, in guild: Snowflake, needs: UInt64, mustBeMember: Bool, hierarchy: Bool = true,
                         storage: SimulatorState.Storage) -> Reply? {
        let world = storage.world
        guard world.guilds(in: configuration).contains(where: { $0.id == guild }) else { return .error(404, code: 10004, "Unknown Guild") }
        if mustBeMember, world.members[guild]?[user] == nil { return .error(404, code: 10007, "Unknown Member") }
        guard world.botPermissions(in: guild) & needs == needs else { return .missingPermissions }
        if hierarchy, user == configuration.guildOwnerID
            || world.topPosition(of: user, in: guild, configuration: configuration)
                >= world.topPosition(of: configuration.botUserID, in: guild, configuration: configuration) {
            return .missingPermissions
        }
        return nil
    }

    private func removal(_ user: Snowflake, _ member: SimulatedWorld.Member?, guild: Snowflake) -> [String: Any] {
        ["guild_id": guild.description, "user": SimulatedPayloads.user(id: user, username: member?.username ?? "user\(user)", bot: false)]
    }

    private func messageObject(_ id: Snowflake, _ message: SimulatedMessage, in storage: SimulatorState.Storage) -> [String: Any] {
        let fields = (try? JSONSerialization.jsonObject(with: Data(message.body)) as? [String: Any]) ?? [:]
        var object = SimulatedPayloads.message(id: id, channel: message.channelID, content: fields["content"] as? String ?? "",
                                               author: state.author(of: message, in: storage))
        object["pinned"] = message.pinned
        for key in ["embeds", "components"] where fields[key] != nil { object[key] = fields[key] }
        return object
    }

    private static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }

    /// A role body's `permissions`: a number, as the OpenAPI spec has it, or a string, as the docs write it.
    private static func permissions(_ value: Any?) -> UInt64? {
        if let number = value as? NSNumber { return number.uint64Value }
        return (value as? String).flatMap { UInt64($0) }
    }

    static let kickMembers: UInt64 = 1 << 1
    static let banMembers: UInt64 = 1 << 2
    static let manageMessages: UInt64 = 1 << 13
    static let manageNicknames: UInt64 = 1 << 27
    static let manageRoles: UInt64 = 1 << 28
    static let manageThreads: UInt64 = 1 << 34
    static let moderateMembers: UInt64 = 1 << 40
}

extension SimulatedWorld {
    /// A member's guild-level permissions: @everyone's and their roles'.
    func memberPermissions(of user: Snowflake, in guild: Snowflake) -> UInt64 {
        (members[guild]?[user]?.roles ?? []).reduce(SimulatedPayloads.everyonePermissions) { $0 | (roles[guild]?[$1]?.permissions ?? 0) }
    }
}

extension SimulatedREST.Reply {
    /// Discord's 403 for an action the bot may not take.
    static let missingPermissions = SimulatedREST.Reply.error(403, code: 50013, "Missing Permissions")
}

extension SimulatedREST.Call {
    /// A path parameter as a snowflake (0 when it is none).
    func snowflake(_ name: String) -> Snowflake {
        Snowflake(UInt64(parameters[name] ?? "") ?? 0)
    }

    /// The JSON body as an object, when it is one.
    var object: [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
    }
}
