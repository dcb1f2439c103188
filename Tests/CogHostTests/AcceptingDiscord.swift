@testable import CogHost
import DiscordREST
import Foundation
import Synchronization

/// Discord as far as the host's own tests need it: accepts every request, numbers messages and
/// created things, and keeps the requests in order.
final class AcceptingDiscord: CogDiscordActions {
    let requests = Mutex<[DiscordRequest]>([])

    func send(_ request: DiscordRequest) async throws(RESTError) -> DiscordResponse {
        let count = requests.withLock { requests in
            requests.append(request)
            return requests.count
        }
        let channel = request.route.path.split(separator: "/").dropFirst().first ?? "0"
        return DiscordResponse(status: 200, body: Array(#"{"id":"\#(5_000 + count)","channel_id":"\#(channel)"}"#.utf8))
    }

    /// `channel/message/emoji` of each reaction the bot added.
    var reactions: [String] {
        requests.withLock { requests in
            requests.filter { $0.route.key.hasSuffix("/reactions/{emoji}/@me") }.map { request in
                let parts = request.route.path.split(separator: "/")
                return "\(parts[1])/\(parts[3])/\(parts[5].removingPercentEncoding ?? "")"
            }
        }
    }

    /// The route keys of the requests, in order.
    var routes: [String] { requests.withLock { $0.map(\.route.key) } }
}

/// A GUILD_CREATE for the host's cache: guild `guild` with channel `channel`, owned by user 1,
/// and the bot (user `bot`) holding a role at position 10 with `botPermissions`.
func guildCreate(_ guild: UInt64 = 100, channel: UInt64 = 200, bot: UInt64 = 999,
                 botPermissions: UInt64 = 1 << 1 | 1 << 2 | 1 << 13 | 1 << 28 | 1 << 40 | 1 << 35, extraRoles: String = "",
                 members: String = "") -> ArraySlice<UInt8> {
    let roles = #"{"id":"\#(guild)","name":"@everyone","permissions":"68672","position":0},{"id":"\#(guild + 1)","name":"Bot","permissions":"\#(botPermissions)","position":10,"managed":true}"#
    let botMember = #"{"user":{"id":"\#(bot)","username":"bot","bot":true},"roles":["\#(guild + 1)"]}"#
    return ArraySlice(#"""
    {"id":"\#(guild)","name":"Guild \#(guild)","owner_id":"1","member_count":2,"roles":[\#(roles)\#(extraRoles)],"channels":[{"id":"\#(channel)","type":0,"name":"general","position":0,"permission_overwrites":[]}],"members":[\#(botMember)\#(members)],"emojis":[],"voice_states":[],"threads":[]}
    """#.utf8)
}
