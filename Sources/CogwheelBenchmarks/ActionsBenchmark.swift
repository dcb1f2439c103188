@_spi(Benchmarks) import CogHost
import CogWire
import DiscordCache
import DiscordModels
import DiscordREST
import DiscordSimulator
import Foundation
import Logging

/// Cogs acting on Discord (issue 18): how long from an event arriving to the action's request
/// leaving the bot, and what the host's checks before each request cost.
///
/// - Round trips: the release `cogwheel run` as a child process with the bundled
///   `reactionroles`, `moderation` and `ping` cogs, against the simulator in this process. A
///   reaction on a bound message until the role's `PUT` reaches the simulator; a `/timeout`
///   until its `PATCH` does; and the baseline in the same run, a 🏓 reaction until the C `ping`
///   cog's reaction `PUT` does (the same path with no check but the capability). Paced at about 10
///   round trips (35 requests) a second, under Discord's global 50/s that the bot's REST client keeps, so no figure waits
///   for a rate limit.
/// - Checks: the planner's timeout and role checks against a cache of one guild with 1,000
///   members and 20 roles, beside building the same request without them.
struct ActionsBenchmark {
    let buildDirectory: URL
    let workspace: URL
    let roundTrips: Int
    let logger: Logger

    static let owner = InteractionFactory.Invoker(id: SimulatorConfiguration.defaultOwnerID.rawValue, username: "owner",
                                                  permissions: (1 << 51) - 1)
    static let member = InteractionFactory.Invoker(id: 800_000_000_000_000_077, username: "bob")

    func run() async throws -> [BenchmarkRow] {
        var rows = try await roundTripRows()
        rows += checkRows()
        return rows
    }

    // MARK: Round trips

    private func roundTripRows() async throws -> [BenchmarkRow] {
        var configuration = ConnectivityBenchmark.simulatorConfiguration()
        configuration.messageLimit = .init(limit: 1_000_000, window: 1)
        return try await DiscordSimulator.withRunning(configuration, logger: logger) { discord in
            let directory = workspace.appendingPathComponent("actions-\(UUID().uuidString)")
            let cogs = directory.appendingPathComponent("cogs")
            for cog in ["reactionroles", "moderation", "ping"] {
                try CogInstaller.install(library: buildDirectory.appendingPathComponent("lib\(cog).so"), as: cog, into: cogs)
            }
            // Each cog may use the whole budget here; the pacing keeps under it.
            let bot = try ChildBot.cogwheel(executable: buildDirectory.appendingPathComponent("cogwheel"), discord,
                                            token: ConnectivityBenchmark.token, dataDirectory: directory.appendingPathComponent("data"),
                                            cogsDirectory: cogs, admin: LifecycleMeasurement.admin.id,
                                            autoload: ["reactionroles", "moderation", "ping"],
                                            settings: ["COGWHEEL_COG_REST_SHARE": "50"])
            defer { bot.stop() }
            discord.memberJoins(Self.member)
            let role = discord.createRole("bench")
            let panel = discord.say("react for the bench role", as: Self.owner)
            let table = discord.say("table tennis?", as: Self.member)
            try await bot.waitUntilAnswering(discord)
            let bound = try await discord.run("/reactionrole add message:\(panel) emoji:⭐ role:\(role)", as: Self.owner)
            guard bound.last?.content?.contains("now gives") == true else {
                throw BenchmarkError("the reaction role was not set up: \(bound.last?.content ?? "no answer")")
            }
            let count = max(20, min(roundTrips, 400))
            var roles: [Double] = []
            var timeouts: [Double] = []
            var pings: [Double] = []
            for index in 0..<count {
                // The baseline first, then the two actions, each on its own.
                pings.append(try await timeToRequest(discord, "PUT /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me") {
                    discord.react("🏓", to: table, as: Self.member)
                })
                discord.unreact("🏓", to: table, as: Self.member)
                roles.append(try await timeToRequest(discord, index.isMultiple(of: 2) ? "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}"
                                                                               : "DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}") {
                    if index.isMultiple(of: 2) { discord.react("⭐", to: panel, as: Self.member) } else { discord.unreact("⭐", to: panel, as: Self.member) }
                })
                var interaction: Snowflake?
                timeouts.append(try await timeToRequest(discord, "PATCH /guilds/{guild_id}/members/{user_id}") {
                    interaction = try? discord.sendCommand("/timeout member:\(Self.member.id) minutes:5 reason:bench", as: Self.owner)
                })
                if let interaction { _ = await discord.waitForAnswers(to: interaction) }
                try await Task.sleep(for: .milliseconds(75))
            }
            print(String(format: "  %d round trips each: reaction → role %.2f ms, /timeout → PATCH %.2f ms, 🏓 → ping's reaction %.2f ms (p50)",
                         count, roles.quantile(0.5), timeouts.quantile(0.5), pings.quantile(0.5)))
            return [
                BenchmarkRow(label: "actions: a reaction → the role's PUT leaves the bot (reactionroles), p50", value: roles.quantile(0.5), unit: "ms"),
                BenchmarkRow(label: "actions: … p99", value: roles.quantile(0.99), unit: "ms"),
                BenchmarkRow(label: "actions: /timeout → the member's PATCH leaves the bot (moderation), p50", value: timeouts.quantile(0.5), unit: "ms"),
                BenchmarkRow(label: "actions: … p99 (timeout)", value: timeouts.quantile(0.99), unit: "ms"),
                BenchmarkRow(label: "actions: baseline, a 🏓 reaction → the C ping cog's reaction PUT, p50", value: pings.quantile(0.5), unit: "ms"),
                BenchmarkRow(label: "actions: … p99 (baseline)", value: pings.quantile(0.99), unit: "ms"),
            ]
        }
    }

    /// Milliseconds from `cause` until the simulator received a request on `route` (`METHOD template`).
    private func timeToRequest(_ discord: DiscordSimulator, _ route: String, _ cause: () throws -> Void) async throws -> Double {
        var seen = discord.requestCount
        let started = ContinuousClock.now
        try cause()
        while true {
            guard await discord.waitForRequests(beyond: seen, timeout: .seconds(10)) else {
                throw BenchmarkError("no \(route) within 10 s")
            }
            let arrived = ContinuousClock.now
            let new = discord.requests(after: seen)
            if new.contains(where: { "\($0.method) \($0.route)" == route }) { return (arrived - started).milliseconds }
            seen += new.count
        }
    }

    // MARK: The checks

    private func checkRows() -> [BenchmarkRow] {
        let guild: UInt64 = 100
        let cache = Self.cache(guild: guild, members: 1_000, roles: 20)
        let planner = DiscordActionPlanner(cog: "moderation", declared: [.membersModerate, .membersRoles], denials: CapabilityDenials(),
                                           cache: cache, reach: CogReach(), isDisabled: { _ in false }, hasStoredChannel: { _, _ in false },
                                           ownsMessage: { _, _ in false }, now: Date())
        let iterations = 20_000
        let user = { (index: Int) in UInt64(10_000 + index % 1_000) }
        var checked: [Double] = []
        var bare: [Double] = []
        var roleChecked: [Double] = []
        var roleBare: [Double] = []
        for _ in 0..<5 {
            checked.append(Self.nanoseconds(iterations) { index in
                _ = try? planner.timeout(guild: guild, user: user(index), until: .after(seconds: 600), reason: "spam")
            })
            bare.append(Self.nanoseconds(iterations) { index in
                var body = JSONWriter()
                body.object { $0.field("communication_disabled_until", DiscordActionPlanner.timestamp(Date().timeIntervalSince1970 + 600)) }
                _ = DiscordRequest(.member(.PATCH, guild: Snowflake(guild), user: Snowflake(user(index))), body: body.bytes, auditLogReason: "spam")
            })
            roleChecked.append(Self.nanoseconds(iterations) { index in
                _ = try? planner.memberRole(guild: guild, user: user(index), role: guild + 2, adding: true, reason: nil)
            })
            roleBare.append(Self.nanoseconds(iterations) { index in
                _ = DiscordRequest(.memberRole(.PUT, guild: Snowflake(guild), user: Snowflake(user(index)), role: Snowflake(guild + 2)))
            })
        }
        let (timeout, timeoutBase) = (checked.quantile(0.5), bare.quantile(0.5))
        let (role, roleBase) = (roleChecked.quantile(0.5), roleBare.quantile(0.5))
        print(String(format: "  checks: timeout %.0f ns with them, %.0f ns without; role %.0f ns with, %.0f ns without", timeout, timeoutBase, role, roleBase))
        return [
            BenchmarkRow(label: "checks: a timeout planned with every check (1,000 members, 20 roles)", value: timeout, unit: "ns"),
            BenchmarkRow(label: "checks: … the same request built without them", value: timeoutBase, unit: "ns"),
            BenchmarkRow(label: "checks: a role given, planned with every check", value: role, unit: "ns"),
            BenchmarkRow(label: "checks: … the same request built without them (role)", value: roleBase, unit: "ns"),
        ]
    }

    /// Median-friendly: nanoseconds per call of `body` over `iterations` calls.
    private static func nanoseconds(_ iterations: Int, _ body: (Int) -> Void) -> Double {
        let started = ContinuousClock.now
        for index in 0..<iterations { body(index) }
        return (ContinuousClock.now - started).milliseconds * 1_000_000 / Double(iterations)
    }

    /// One guild as the gateway fills the cache: `roles` roles below the bot's, `members` members holding one each.
    static func cache(guild: UInt64, members: Int, roles: Int) -> GuildCache {
        let cache = GuildCache()
        cache.apply(event: "READY", payload: Array(#"{"user":{"id":"999","username":"bot"},"guilds":[]}"#.utf8))
        var roleObjects = [#"{"id":"\#(guild)","name":"@everyone","permissions":"68672","position":0}"#,
                           #"{"id":"\#(guild + 1)","name":"bot","permissions":"\#(1 << 40 | 1 << 28 | 1 << 2 | 1 << 1)","position":50,"managed":true}"#]
        for index in 0..<roles { roleObjects.append(#"{"id":"\#(guild + 2 + UInt64(index))","name":"r\#(index)","permissions":"0","position":\#(index + 1)}"#) }
        var memberObjects = [#"{"user":{"id":"999","username":"bot"},"roles":["\#(guild + 1)"]}"#]
        for index in 0..<members {
            memberObjects.append(#"{"user":{"id":"\#(10_000 + index)","username":"m\#(index)"},"roles":["\#(guild + 2 + UInt64(index % roles))"]}"#)
        }
        let payload = #"{"id":"\#(guild)","name":"bench","owner_id":"1","member_count":\#(members + 1),"roles":[\#(roleObjects.joined(separator: ","))],"channels":[{"id":"200","type":0,"name":"general","position":0,"permission_overwrites":[]}],"members":[\#(memberObjects.joined(separator: ","))],"emojis":[],"voice_states":[],"threads":[]}"#
        cache.apply(event: "GUILD_CREATE", payload: Array(payload.utf8))
        return cache
    }
}
