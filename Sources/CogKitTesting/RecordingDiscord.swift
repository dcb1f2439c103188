import CogHost
import CogWire
import DiscordREST
import Foundation
import Synchronization

/// A message a cog posted through the host (`context.discord.send`), as the test harness saw it.
public struct PostedMessage: Sendable, Equatable {
    public let id: UInt64
    public let channelID: UInt64
    /// The message as last sent or edited.
    public var message: RecordedMessage
    /// Reactions the bot added, in order.
    public var reactions: [String]
    /// How many times the cog edited it.
    public var edits: Int
    /// The message it replies to, if it is a reply.
    public var replyTo: UInt64?
    /// The names of the files attached.
    public var files: [String] = []
}

/// One Discord request the host made for the cog, in order, after its checks passed: the
/// action (`send`, `edit`, `delete`, `react`, `timeout`, `add_role`, …) and its targets.
public struct RESTCall: Sendable, Equatable {
    public let action: String
    public let channelID: UInt64
    public let messageID: UInt64?
    /// The emoji of a `react`.
    public var emoji: String? = nil
    public var guildID: UInt64? = nil
    public var userID: UInt64? = nil
    public var roleID: UInt64? = nil
    /// The audit log reason (`X-Audit-Log-Reason`).
    public var reason: String? = nil
    /// The JSON body as sent (the `payload_json` of an upload).
    public var body: String? = nil
}

/// Stands in for Discord's REST API behind the host's `discord.*` services: it answers each
/// request the host makes as Discord would, and keeps the messages cogs post so tests can read,
/// click and assert on them. Requests arrive already checked (capabilities, scope, permissions,
/// hierarchy), so a refusal the host makes never shows up here.
final class RecordingDiscord: CogDiscordActions {
    private struct State {
        var messages: [UInt64: PostedMessage] = [:]
        var order: [UInt64] = []
        var calls: [RESTCall] = []
        /// Messages members said in the harness's events: the payload, for fetches and reactions.
        var othersMessages: [UInt64: (channel: UInt64, payload: [UInt8])] = [:]
        var nextID: UInt64 = 1_200_000_000_000_000_000
    }

    private let state = Mutex(State())

    var messages: [PostedMessage] { state.withLock { state in state.order.compactMap { state.messages[$0] } } }
    var calls: [RESTCall] { state.withLock { $0.calls } }

    /// The actions' names, by route.
    private static let actions: [String: String] = [
        "POST /channels/{channel_id}/messages": "send",
        "PATCH /channels/{channel_id}/messages/{message_id}": "edit",
        "DELETE /channels/{channel_id}/messages/{message_id}": "delete",
        "GET /channels/{channel_id}/messages/{message_id}": "fetch",
        "GET /channels/{channel_id}/messages": "fetch_recent",
        "PUT /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me": "react",
        "POST /channels/{channel_id}/messages/bulk-delete": "bulk_delete",
        "PUT /channels/{channel_id}/messages/pins/{message_id}": "pin",
        "DELETE /channels/{channel_id}/messages/pins/{message_id}": "unpin",
        "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}": "add_role",
        "DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}": "remove_role",
        "PATCH /guilds/{guild_id}/members/{user_id}": "edit_member",
        "DELETE /guilds/{guild_id}/members/{user_id}": "kick",
        "PUT /guilds/{guild_id}/bans/{user_id}": "ban",
        "DELETE /guilds/{guild_id}/bans/{user_id}": "unban",
        "POST /guilds/{guild_id}/roles": "create_role",
        "PATCH /guilds/{guild_id}/roles/{role_id}": "edit_role",
        "DELETE /guilds/{guild_id}/roles/{role_id}": "delete_role",
        "POST /channels/{channel_id}/messages/{message_id}/threads": "create_thread",
        "POST /channels/{channel_id}/threads": "create_thread",
        "PATCH /channels/{channel_id}": "archive_thread",
        "PUT /channels/{channel_id}/thread-members/{user_id}": "add_thread_member",
        "POST /users/@me/channels": "open_dm",
        "POST /webhooks/{application_id}/{interaction_token}": "follow_up",
        "PATCH /webhooks/{application_id}/{interaction_token}/messages/{message_id}": "edit_follow_up",
        "PATCH /webhooks/{application_id}/{interaction_token}/messages/@original": "edit_follow_up",
        "DELETE /webhooks/{application_id}/{interaction_token}/messages/{message_id}": "delete_follow_up",
        "DELETE /webhooks/{application_id}/{interaction_token}/messages/@original": "delete_follow_up",
    ]

    func send(_ request: DiscordRequest) async throws(RESTError) -> DiscordResponse {
        let route = request.route
        let parameters = Self.parameters(of: route)
        let channel = parameters["channel_id"] ?? 0
        let message = parameters["message_id"]
        var call = RESTCall(action: Self.actions[route.key] ?? route.key, channelID: channel, messageID: message)
        call.guildID = parameters["guild_id"]
        call.userID = parameters["user_id"]
        call.roleID = parameters["role_id"]
        call.reason = request.auditLogReason
        call.body = request.body.map { String(decoding: $0, as: UTF8.self) }
        if call.action == "react" { call.emoji = route.path.split(separator: "/").dropLast().last?.removingPercentEncoding }
        let unknownMessage = RESTError.http(route: route.key, status: 404, code: 10008, message: "Unknown Message")
        return try state.withLock { state throws(RESTError) -> DiscordResponse in
            func created(_ fields: String = "") -> DiscordResponse {
                state.nextID += 1
                return Self.json(#"{"id":"\#(state.nextID)"\#(fields)}"#)
            }
            switch call.action {
            case "send", "follow_up":
                let body = request.body ?? []
                let decoded = Self.recorded(body)
                state.nextID += 1
                let id = state.nextID
                let replyTo = try? JSONScanner.scan(body) { scanner -> UInt64? in
                    var reference: UInt64?
                    try scanner.readObject { scanner, key in
                        guard key == "message_reference" else {
                            _ = try scanner.skipValue()
                            return
                        }
                        try scanner.readObject { scanner, key in
                            if key == "message_id" { reference = try scanner.readSnowflake() } else { _ = try scanner.skipValue() }
                        }
                    }
                    return reference
                }
                state.messages[id] = PostedMessage(id: id, channelID: channel, message: decoded, reactions: [], edits: 0,
                                                   replyTo: replyTo ?? nil, files: request.files.map(\.name))
                state.order.append(id)
                call = RESTCall(action: call.action, channelID: channel, messageID: id, body: call.body)
                state.calls.append(call)
                return Self.json(#"{"id":"\#(id)","channel_id":"\#(channel)"}"#)
            case "edit":
                guard let message, state.messages[message] != nil else { throw unknownMessage }
                state.messages[message]?.message = Self.recorded(request.body ?? [])
                state.messages[message]?.edits += 1
            case "delete":
                guard let message, state.messages.removeValue(forKey: message) != nil || state.othersMessages.removeValue(forKey: message) != nil else {
                    throw unknownMessage
                }
                state.order.removeAll { $0 == message }
            case "react":
                guard let message, state.messages[message] != nil || state.othersMessages[message] != nil else { throw unknownMessage }
                state.messages[message]?.reactions.append(call.emoji ?? "")
            case "fetch":
                guard let message, let said = state.othersMessages[message] else { throw unknownMessage }
                state.calls.append(call)
                return DiscordResponse(status: 200, body: said.payload)
            case "fetch_recent":
                let recent = state.othersMessages.filter { $0.value.channel == channel }.sorted { $0.key > $1.key }.map(\.value.payload)
                state.calls.append(call)
                return DiscordResponse(status: 200, body: Array("[".utf8) + Array(recent.joined(separator: Array(",".utf8))) + Array("]".utf8))
            case "bulk_delete":
                for id in Self.bulkDeleted(request.body ?? []) {
                    state.othersMessages[id] = nil
                    state.messages[id] = nil
                    state.order.removeAll { $0 == id }
                }
            case "open_dm", "create_role", "create_thread":
                state.calls.append(call)
                return created(call.action == "open_dm" ? #","type":1"# : "")
            default:
                break
            }
            state.calls.append(call)
            return DiscordResponse(status: 204, body: [])
        }
    }

    /// Remembers a message a member said, so a cog may fetch it, react to it or delete it as on Discord.
    func noteMessage(_ id: UInt64, channel: UInt64, payload: [UInt8]) {
        state.withLock { $0.othersMessages[id] = (channel, payload) }
    }

    /// The ids in a route's path, by parameter name (`channel_id`), read against its template.
    private static func parameters(of route: DiscordRoute) -> [String: UInt64] {
        var parameters: [String: UInt64] = [:]
        for (name, value) in zip(route.template.split(separator: "/"), route.path.split(separator: "/"))
        where name.hasPrefix("{") && name.hasSuffix("_id}") {
            if let id = UInt64(value) { parameters[String(name.dropFirst().dropLast())] = id }
        }
        return parameters
    }

    private static func bulkDeleted(_ body: [UInt8]) -> [UInt64] {
        (try? JSONScanner.scan(body) { scanner in
            var ids: [UInt64] = []
            try scanner.readObject { scanner, key in
                if key == "messages" { ids = try scanner.readSnowflakes() } else { _ = try scanner.skipValue() }
            }
            return ids
        }) ?? []
    }

    /// The message as the tests read it; the host sends only bodies that read.
    private static func recorded(_ body: [UInt8]) -> RecordedMessage {
        (try? JSONDecoder().decode(RecordedMessage.self, from: Data(body))) ?? emptyMessage
    }

    // The literal always decodes: every field of a recorded message is optional.
    private static let emptyMessage = try! JSONDecoder().decode(RecordedMessage.self, from: Data("{}".utf8))

    private static func json(_ text: String) -> DiscordResponse {
        DiscordResponse(status: 200, body: Array(text.utf8))
    }
}
