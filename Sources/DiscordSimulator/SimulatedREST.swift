import DiscordModels
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import Synchronization

/// The REST side of the simulator: the endpoints a bot uses, with Discord's authentication,
/// rate-limit headers, 429s and error bodies.
struct SimulatedREST: Sendable {
    typealias Context = BasicWebSocketRequestContext

    /// What an endpoint answers.
    struct Reply {
        var status: Int
        var body: [UInt8]?

        static func json(_ body: [UInt8], status: Int = 200) -> Reply { Reply(status: status, body: body) }
        static func error(_ status: Int, code: Int, _ message: String) -> Reply {
            Reply(status: status, body: SimulatedPayloads.error(code: code, message: message))
        }
        static let noContent = Reply(status: 204, body: nil)
    }

    /// One incoming request, reduced to what endpoints read.
    struct Call {
        var parameters: [String: String]
        var query: [String: String]
        /// The JSON body; for a multipart upload, its `payload_json` part.
        var body: [UInt8]
        /// A multipart upload's files: name and size.
        var files: [(name: String, size: Int)] = []
    }

    let state: SimulatorState
    let rateLimits: RateLimitBox

    var configuration: SimulatorConfiguration { state.configuration }

    func register(on router: Router<Context>) {
        let api = "/api/v10"
        route(router, .get, api, "/gateway", major: nil, authenticated: false) { _ in .json(self.gateway(bot: false)) }
        route(router, .get, api, "/gateway/bot", major: nil) { _ in .json(self.gateway(bot: true)) }
        route(router, .get, api, "/users/@me", major: nil) { _ in .json(SimulatedPayloads.json(SimulatedPayloads.botUser(self.configuration))) }
        for path in ["/applications/@me", "/oauth2/applications/@me"] {
            route(router, .get, api, path, major: nil) { _ in .json(SimulatedPayloads.json(SimulatedPayloads.application(self.configuration))) }
        }
        route(router, .get, api, "/applications/{application_id}/commands", major: "application_id") { call in
            .json(self.commandsJSON(self.state.withStorage { $0.globalCommands }, guild: nil))
        }
        route(router, .put, api, "/applications/{application_id}/commands", major: "application_id") { call in
            self.overwriteCommands(call, guild: nil)
        }
        route(router, .get, api, "/applications/{application_id}/guilds/{guild_id}/commands", major: "guild_id") { call in
            let guild = Snowflake(UInt64(call.parameters["guild_id"] ?? "") ?? 0)
            return .json(self.commandsJSON(self.state.withStorage { $0.guildCommands[guild] ?? [] }, guild: guild))
        }
        route(router, .put, api, "/applications/{application_id}/guilds/{guild_id}/commands", major: "guild_id") { call in
            self.overwriteCommands(call, guild: Snowflake(UInt64(call.parameters["guild_id"] ?? "") ?? 0))
        }
        route(router, .post, api, "/interactions/{interaction_id}/{interaction_token}/callback", major: "interaction_id",
              authenticated: false, exemptFromGlobal: true) { call in
            self.callback(call)
        }
        for method in [HTTPRequest.Method.get, .patch, .delete] {
            // `@original` or a follow-up's id.
            route(router, method, api, "/webhooks/{application_id}/{interaction_token}/messages/{message_id}",
                  major: "interaction_token", authenticated: false) { call in
                call.parameters["message_id"] == "@original" ? self.original(call, method: method) : self.followUpMessage(call, method: method)
            }
        }
        route(router, .post, api, "/webhooks/{application_id}/{interaction_token}", major: "interaction_token",
              authenticated: false) { call in
            if let webhook = self.configuration.incomingWebhook, call.parameters["application_id"] == webhook.id.description {
                return self.executeWebhook(call, webhook)
            }
            return self.followUp(call)
        }
        route(router, .post, api, "/channels/{channel_id}/messages", major: "channel_id") { call in
            self.createMessage(call)
        }
        for method in [HTTPRequest.Method.get, .patch, .delete] {
            route(router, method, api, "/channels/{channel_id}/messages/{message_id}", major: "channel_id") { call in
                self.changeMessage(call, method: method)
            }
        }
        route(router, .put, api, "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", major: "channel_id") { call in
            self.addReaction(call)
        }
        registerActions(on: router, prefix: api)
    }

    // MARK: Endpoints

    private func gateway(bot: Bool) -> [UInt8] {
        let url = "ws://\(configuration.host):\(state.port)/gateway"
        guard bot else { return SimulatedPayloads.json(["url": url]) }
        return SimulatedPayloads.json([
            "url": url, "shards": configuration.recommendedShards,
            "session_start_limit": ["total": configuration.sessionStartLimit, "remaining": configuration.sessionStartLimit,
                                    "reset_after": 86_400_000, "max_concurrency": configuration.maxConcurrency],
        ])
    }

    private func overwriteCommands(_ call: Call, guild: Snowflake?) -> Reply {
        guard let commands = try? JSONCoding.decode([ApplicationCommand].self, from: call.body) else {
            return .error(400, code: 50035, "Invalid Form Body")
        }
        if commands.filter({ ($0.type ?? 1) == 1 }).count > 100 { return .error(400, code: 30032, "Maximum number of application commands reached (100)") }
        if Set(commands.map(\.name)).count != commands.count { return .error(400, code: 50035, "Invalid Form Body: duplicate command names") }
        state.withStorage { storage in
            storage.statistics.commandOverwrites += 1
            if let guild { storage.guildCommands[guild] = commands } else { storage.globalCommands = commands }
        }
        return .json(commandsJSON(commands, guild: guild))
    }

    private func commandsJSON(_ commands: [ApplicationCommand], guild: Snowflake?) -> [UInt8] {
        let objects: [[String: Any]] = commands.enumerated().map { index, command in
            let encoded = (try? JSONCoding.encode(command)) ?? []
            var object = (try? JSONSerialization.jsonObject(with: Data(encoded)) as? [String: Any]) ?? [:]
            object["id"] = String(1_150_000_000_000_000_000 + UInt64(index))
            object["application_id"] = configuration.applicationID.description
            object["version"] = "1"
            object["type"] = command.type ?? 1
            object["options"] = object["options"] ?? []
            object["default_member_permissions"] = command.defaultMemberPermissions ?? NSNull()
            object["dm_permission"] = true
            object["nsfw"] = false
            object["contexts"] = NSNull()
            object["integration_types"] = [0]
            if let guild { object["guild_id"] = guild.description }
            return object
        }
        return SimulatedPayloads.json(objects)
    }

    private func callback(_ call: Call) -> Reply {
        let id = Snowflake(UInt64(call.parameters["interaction_id"] ?? "") ?? 0)
        let token = call.parameters["interaction_token"] ?? ""
        guard let object = try? JSONSerialization.jsonObject(with: Data(call.body)) as? [String: Any],
              let type = object["type"] as? Int else {
            return .error(400, code: 50035, "Invalid Form Body")
        }
        guard [1, 4, 5, 6, 7, 8, 9, 10, 12].contains(type) else { return .error(400, code: 50035, "Invalid Form Body: type") }
        let data = object["data"].map { SimulatedPayloads.json($0) }
        let outcome: Reply? = state.withStorage { storage in
            guard let interaction = storage.interactions[id], interaction.token == token else {
                return .error(404, code: 10062, "Unknown interaction")
            }
            guard !interaction.acknowledged else {
                storage.statistics.duplicateCallbacks += 1
                return .error(400, code: 40060, "Interaction has already been acknowledged.")
            }
            storage.interactions[id]?.acknowledged = true
            state.record(.callback(type: type, data: data), for: id, in: &storage)
            return nil
        }
        if let outcome { return outcome }
        guard call.query["with_response"] == "true" || call.query["with_response"] == "1" else { return .noContent }
        let flags = (object["data"] as? [String: Any])?["flags"] as? Int ?? 0
        var response: [String: Any] = [
            "interaction": ["id": id.description, "type": 2, "response_message_id": id.description,
                            "response_message_loading": type == 5, "response_message_ephemeral": flags & 64 != 0],
        ]
        if type == 4 || type == 5 {
            response["resource"] = ["type": type, "message": messageObject(id: id, body: data ?? Array("{}".utf8), channel: nil)]
        }
        return .json(SimulatedPayloads.json(response))
    }

    private func original(_ call: Call, method: HTTPRequest.Method) -> Reply {
        let token = call.parameters["interaction_token"] ?? ""
        return state.withStorage { storage -> Reply in
            guard let id = storage.interactionsByToken[token], let interaction = storage.interactions[id] else {
                return .error(404, code: 10015, "Unknown Webhook")
            }
            guard interaction.acknowledged else { return .error(404, code: 10008, "Unknown Message") }
            switch method {
            case .patch:
                state.record(.editOriginal(call.body), for: id, in: &storage)
                return .json(SimulatedPayloads.json(messageObject(id: id, body: call.body, channel: nil)))
            case .delete:
                return .noContent
            default:
                let last = interaction.answers.last?.message ?? Array("{}".utf8)
                return .json(SimulatedPayloads.json(messageObject(id: id, body: last, channel: nil)))
            }
        }
    }

    private func followUp(_ call: Call) -> Reply {
        let token = call.parameters["interaction_token"] ?? ""
        return state.withStorage { storage -> Reply in
            guard let id = storage.interactionsByToken[token], storage.interactions[id]?.acknowledged == true else {
                return .error(404, code: 10015, "Unknown Webhook")
            }
            state.record(.followUp(call.body), for: id, in: &storage)
            storage.nextMessageID += 1
            let messageID = Snowflake(date: Date(), increment: storage.nextMessageID)
            storage.followUps[messageID] = token
            return .json(SimulatedPayloads.json(messageObject(id: messageID, body: call.body, channel: nil)))
        }
    }

    /// `GET`, `PATCH` or `DELETE` a follow-up by its interaction's token: 10008 for an id that
    /// is not a follow-up of that interaction.
    private func followUpMessage(_ call: Call, method: HTTPRequest.Method) -> Reply {
        let token = call.parameters["interaction_token"] ?? ""
        let id = Snowflake(UInt64(call.parameters["message_id"] ?? "") ?? 0)
        return state.withStorage { storage -> Reply in
            guard storage.followUps[id] == token else { return .error(404, code: 10008, "Unknown Message") }
            switch method {
            case .delete:
                storage.followUps[id] = nil
                return .noContent
            case .patch:
                if let interaction = storage.interactionsByToken[token] { state.record(.editOriginal(call.body), for: interaction, in: &storage) }
                return .json(SimulatedPayloads.json(messageObject(id: id, body: call.body, channel: nil)))
            default:
                return .json(SimulatedPayloads.json(messageObject(id: id, body: Array("{}".utf8), channel: nil)))
            }
        }
    }

    /// Posts the bot's message (200 with it) and dispatches MESSAGE_CREATE, as Discord does.
    private func createMessage(_ call: Call) -> Reply {
        let channel = Snowflake(UInt64(call.parameters["channel_id"] ?? "") ?? 0)
        let fields = (try? JSONSerialization.jsonObject(with: Data(call.body)) as? [String: Any]) ?? [:]
        guard call.files.count <= 10, call.files.reduce(0, { $0 + $1.size }) <= 10 << 20 else {
            return .error(413, code: 40005, "Request entity too large")
        }
        if !call.files.isEmpty, (fields["attachments"] as? [Any])?.count != call.files.count {
            return .error(400, code: 50035, "Invalid Form Body: attachments must describe each file")
        }
        return state.withStorage { storage -> Reply in
            if let user = storage.world.directMessageChannels.first(where: { $0.value == channel })?.key {
                guard !configuration.closedDirectMessages.contains(user) else {
                    return .error(403, code: 50007, "Cannot send messages to this user")
                }
            } else {
                guard storage.world.guild(of: channel, in: configuration) != nil else { return .error(404, code: 10003, "Unknown Channel") }
            }
            let guild = storage.world.guild(of: channel, in: configuration)
            guard !configuration.forbiddenChannels.contains(channel) else { return .error(403, code: 50013, "Missing Permissions") }
            if let reference = (fields["message_reference"] as? [String: Any])?["message_id"] as? String,
               storage.postedMessages[Snowflake(UInt64(reference) ?? 0)]?.channelID != channel,
               (fields["message_reference"] as? [String: Any])?["fail_if_not_exists"] as? Bool != false {
                return .error(400, code: 50035, "Invalid Form Body: Unknown message")
            }
            storage.channelMessages[channel, default: []].append(call.body)
            storage.nextMessageID += 1
            let id = Snowflake(date: Date(), increment: storage.nextMessageID)
            storage.postedMessages[id] = SimulatedMessage(channelID: channel, authorID: configuration.botUserID, body: call.body,
                                                          edits: 0, reactions: [])
            let message = messageObject(id: id, body: call.body, channel: channel)
            state.emitMessage(&storage, "MESSAGE_CREATE", id: id, channel: channel, guild: guild,
                              content: message["content"] as? String ?? "", author: SimulatedPayloads.botUser(configuration),
                              member: SimulatedWorld.Member(username: configuration.botUsername,
                                                            roles: guild.flatMap { storage.world.botRoles[$0] }.map { [$0] } ?? []))
            return .json(SimulatedPayloads.json(message))
        }
    }

    /// Edits (200 with the message, MESSAGE_UPDATE) or deletes (204, MESSAGE_DELETE) a message
    /// the bot posted in that channel.
    private func changeMessage(_ call: Call, method: HTTPRequest.Method) -> Reply {
        let channel = Snowflake(UInt64(call.parameters["channel_id"] ?? "") ?? 0)
        let id = Snowflake(UInt64(call.parameters["message_id"] ?? "") ?? 0)
        return state.withStorage { storage -> Reply in
            guard let posted = storage.postedMessages[id], posted.channelID == channel else {
                return .error(404, code: 10008, "Unknown Message")
            }
            let guild = storage.world.guild(of: channel, in: configuration)
            if method == .get {
                var object = messageObject(id: id, body: posted.body, channel: channel)
                object["author"] = state.author(of: posted, in: storage)
                object["pinned"] = posted.pinned
                return .json(SimulatedPayloads.json(object))
            }
            // Another's message takes Manage Messages to delete.
            if method == .delete, posted.authorID != configuration.botUserID, posted.authorID != 0, let guild,
               storage.world.botPermissions(in: guild) & SimulatedREST.manageMessages == 0 {
                return .missingPermissions
            }
            if method == .delete {
                storage.postedMessages[id] = nil
                var payload: [String: Any] = ["id": id.description, "channel_id": channel.description]
                if let guild { payload["guild_id"] = guild.description }
                state.broadcast(&storage, event: "MESSAGE_DELETE", data: SimulatedPayloads.json(payload), guild: guild, byIntent: true)
                return .noContent
            }
            guard posted.authorID == configuration.botUserID else { return .error(403, code: 50005, "Cannot edit a message authored by another user") }
            storage.postedMessages[id]?.body = call.body
            storage.postedMessages[id]?.edits += 1
            let message = messageObject(id: id, body: call.body, channel: channel)
            state.emitMessage(&storage, "MESSAGE_UPDATE", id: id, channel: channel, guild: guild,
                              content: message["content"] as? String ?? "", author: SimulatedPayloads.botUser(configuration),
                              member: nil, edited: true)
            return .json(SimulatedPayloads.json(message))
        }
    }

    /// `PUT …/reactions/{emoji}/@me`: 204, and MESSAGE_REACTION_ADD the first time; the emoji
    /// arrives URL-encoded.
    private func addReaction(_ call: Call) -> Reply {
        let channel = Snowflake(UInt64(call.parameters["channel_id"] ?? "") ?? 0)
        let id = Snowflake(UInt64(call.parameters["message_id"] ?? "") ?? 0)
        let emoji = (call.parameters["emoji"] ?? "").removingPercentEncoding ?? ""
        return state.withStorage { storage -> Reply in
            guard storage.postedMessages[id]?.channelID == channel else { return .error(404, code: 10008, "Unknown Message") }
            guard !emoji.isEmpty else { return .error(400, code: 10014, "Unknown Emoji") }
            _ = state.reaction(&storage, emoji, on: id, by: configuration.botUserID, username: configuration.botUsername, adding: true)
            return .noContent
        }
    }

    /// Discord answers 204 unless `?wait=true`; the message lands in the webhook's channel.
    private func executeWebhook(_ call: Call, _ webhook: SimulatorConfiguration.IncomingWebhook) -> Reply {
        guard call.parameters["interaction_token"] == webhook.token else { return .error(401, code: 50027, "Invalid Webhook Token") }
        guard let fields = try? JSONSerialization.jsonObject(with: Data(call.body)) as? [String: Any],
              fields["content"] != nil || fields["embeds"] != nil else {
            return .error(400, code: 50006, "Cannot send an empty message")
        }
        state.withStorage { $0.channelMessages[webhook.channelID, default: []].append(call.body) }
        return .noContent
    }

    private func messageObject(id: Snowflake, body: [UInt8], channel: Snowflake?) -> [String: Any] {
        let fields = (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:]
        var object = SimulatedPayloads.message(id: id, channel: channel ?? configuration.guilds[0].channelID,
                                               content: fields["content"] as? String ?? "",
                                               author: SimulatedPayloads.botUser(configuration))
        for key in ["embeds", "components", "flags"] where fields[key] != nil { object[key] = fields[key] }
        return object
    }

    // MARK: Plumbing shared by every endpoint

    func route(
        _ router: Router<Context>, _ method: HTTPRequest.Method, _ prefix: String, _ template: String, major: String?,
        authenticated: Bool = true, exemptFromGlobal: Bool = false, _ endpoint: @escaping @Sendable (Call) async -> Reply
    ) {
        let hummingbirdPath = template.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "")
        router.on(RouterPath(prefix + hummingbirdPath), method: method) { request, context -> Response in
            var parameters: [String: String] = [:]
            for name in Self.parameterNames(template) { parameters[name] = context.parameters.get(name) }
            var query: [String: String] = [:]
            for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
            var body = Array((try await request.body.collect(upTo: 32 << 20)).readableBytesView)
            var contentType = request.headers[.contentType]
            var files: [(name: String, size: Int)] = []
            // An upload: the message is the payload_json part, and the files are counted.
            if let type = contentType, type.hasPrefix("multipart/form-data"), let form = SimulatedMultipart(body, contentType: type) {
                body = form.payload
                files = form.files
                contentType = "application/json"
            }
            let reason = HTTPField.Name("X-Audit-Log-Reason").flatMap { request.headers[$0] }?.removingPercentEncoding
            if let reason, reason.utf8.count > 512 {
                return Response(status: .badRequest, body: ResponseBody(byteBuffer: ByteBuffer(bytes: SimulatedPayloads.error(code: 50035, message: "Invalid Form Body: X-Audit-Log-Reason is over 512 characters"))))
            }
            let reply = await self.handle(
                method: method, template: template, parameters: parameters, major: major.flatMap { parameters[$0] } ?? "",
                authorization: request.headers[.authorization], contentType: contentType, authenticated: authenticated,
                exemptFromGlobal: exemptFromGlobal, call: Call(parameters: parameters, query: query, body: body, files: files),
                endpoint: endpoint
            )
            self.state.withStorage { storage in
                // `@original` is its own route in Discord's spec, though one handler serves it here.
                let route = parameters["message_id"] == "@original" ? template.replacingOccurrences(of: "{message_id}", with: "@original") : template
                storage.requests.append(RecordedRequest(method: method.rawValue, path: request.uri.path, route: route,
                                                        body: body, status: reply.reply.status, auditLogReason: reason,
                                                        files: files.map(\.name)))
                SimulatorState.requestRecorded(&storage)
            }
            var headers = HTTPFields()
            for (name, value) in reply.headers {
                if let field = HTTPField.Name(name) { headers[field] = value }
            }
            guard let body = reply.reply.body else { return Response(status: .init(code: reply.reply.status), headers: headers) }
            headers[.contentType] = "application/json"
            return Response(status: .init(code: reply.reply.status), headers: headers,
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    private func handle(
        method: HTTPRequest.Method, template: String, parameters: [String: String], major: String, authorization: String?,
        contentType: String?, authenticated: Bool, exemptFromGlobal: Bool, call: Call,
        endpoint: @Sendable (Call) async -> Reply
    ) async -> (reply: Reply, headers: [(String, String)]) {
        if let delay = state.withStorage({ $0.takeSlowResponse() }) {
            try? await Task.sleep(for: .seconds(delay))
        }
        if state.withStorage({ $0.takeServerError() }) {
            return (.error(502, code: 0, "502 Bad Gateway"), [])
        }
        if authenticated, authorization != "Bot \(configuration.token)" {
            return (.error(401, code: 0, "401: Unauthorized"), [])
        }
        if !call.body.isEmpty {
            guard contentType == "application/json" else { return (.error(400, code: 50035, "Content-Type must be application/json"), []) }
            guard (try? JSONSerialization.jsonObject(with: Data(call.body), options: [.fragmentsAllowed])) != nil else {
                return (.error(400, code: 50109, "The request body contains invalid JSON."), [])
            }
        }
        let limit = template.hasPrefix("/channels/") ? configuration.messageLimit : configuration.defaultLimit
        let verdict = rateLimits.admit(route: "\(method.rawValue) \(template)", major: major, limit: limit,
                                       globalLimit: configuration.globalLimit, exempt: exemptFromGlobal)
        if let refusal = verdict.refusal {
            state.withStorage { $0.statistics.rateLimited += 1 }
            let body = SimulatedPayloads.json(["message": "You are being rate limited.", "retry_after": refusal.retryAfter,
                                               "global": refusal.scope == "global"])
            return (.json(body, status: 429), verdict.headers)
        }
        return (await endpoint(call), verdict.headers)
    }

    private static func parameterNames(_ template: String) -> [String] {
        template.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }
}

/// The rate-limit state, shared by every request handler.
final class RateLimitBox: Sendable {
    private let limits = Mutex(SimulatedRateLimits())

    func admit(route: String, major: String, limit: SimulatorConfiguration.Limit, globalLimit: Int, exempt: Bool) -> SimulatedRateLimits.Verdict {
        limits.withLock { $0.admit(route: route, major: major, limit: limit, globalLimit: globalLimit, exempt: exempt) }
    }

    func addStorm(count: Int, scope: String, retryAfter: Double) {
        limits.withLock { $0.addStorm(count: count, scope: scope, retryAfter: retryAfter) }
    }
}

extension SimulatorState.Storage {
    /// Takes one pending slow-response fault, returning its delay.
    mutating func takeSlowResponse() -> Double? {
        guard let index = restFaults.firstIndex(where: { if case .slowResponses = $0 { true } else { false } }),
              case .slowResponses(let count, let seconds) = restFaults[index] else { return nil }
        if count > 1 { restFaults[index] = .slowResponses(count: count - 1, seconds: seconds) } else { restFaults.remove(at: index) }
        return seconds
    }

    /// Takes one pending server-error fault; `true` when this request must fail with 502.
    mutating func takeServerError() -> Bool {
        guard let index = restFaults.firstIndex(where: { if case .serverErrors = $0 { true } else { false } }),
              case .serverErrors(let count) = restFaults[index] else { return false }
        if count > 1 { restFaults[index] = .serverErrors(count: count - 1) } else { restFaults.remove(at: index) }
        return true
    }
}
