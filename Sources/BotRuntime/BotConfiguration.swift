import DiscordGateway
import DiscordModels
import Foundation

/// Everything the bot needs to reach Discord, read from the environment (and `.env`).
///
/// | variable | meaning |
/// | --- | --- |
/// | `DISCORD_TOKEN` | the bot token (required) |
/// | `DISCORD_APPLICATION_ID` | the application id; asked from Discord when unset |
/// | `GUILD_ID` | a development guild: commands sync there, instantly, instead of globally |
/// | `DISCORD_API_BASE` | REST base URL (default `https://discord.com/api/v10`) |
/// | `DISCORD_GATEWAY_URL` | gateway URL; from `GET /gateway/bot` when unset |
/// | `DISCORD_INTENTS` | a number or names (`guilds,guild_messages`); default `guilds` |
/// | `DISCORD_SHARD_COUNT` | total shards; Discord's recommendation when unset |
/// | `DISCORD_SHARD_IDS` | the shards this process runs (`0,1` or `0-3`); all when unset |
/// | `DISCORD_COMPRESSION` | `zlib-stream` transport compression, `true` (default) or `false` |
/// | `DISCORD_STATUS`, `DISCORD_ACTIVITY` | presence: online/idle/dnd/invisible and a "Playing …" text |
public struct BotConfiguration: Sendable {
    public var token: BotToken
    public var applicationID: Snowflake?
    public var developmentGuildID: Snowflake?
    public var apiBase: String
    public var gatewayURL: String?
    public var intents: GatewayIntents
    public var shardCount: Int?
    public var shardIDs: [Int]?
    public var compression: Bool
    public var presence: GatewayIdentify.Presence?

    public init(token: BotToken, apiBase: String = "https://discord.com/api/v10", gatewayURL: String? = nil) {
        self.token = token
        self.apiBase = apiBase
        self.gatewayURL = gatewayURL
        self.intents = .default
        self.compression = true
    }

    /// Reads the configuration, reporting every missing or invalid variable at once.
    public static func fromEnvironment(_ environment: [String: String]) throws(BotConfigurationError) -> BotConfiguration {
        var problems: [String] = []
        func value(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        func snowflake(_ name: String) -> Snowflake? {
            guard let text = value(name) else { return nil }
            guard let id = UInt64(text) else {
                problems.append("\(name) must be a Discord id (a number), not \(SettingValue.shown(text))")
                return nil
            }
            return Snowflake(id)
        }
        let token = value("DISCORD_TOKEN")
        if token == nil {
            problems.append("DISCORD_TOKEN is missing: the bot token from the Developer Portal (Bot → Reset Token)")
        } else if token!.contains(where: \.isWhitespace) || token!.lowercased().hasPrefix("bot ") {
            problems.append("DISCORD_TOKEN must be the bare token, without 'Bot ' or spaces")
        }
        var configuration = BotConfiguration(token: BotToken(token ?? ""))
        configuration.applicationID = snowflake("DISCORD_APPLICATION_ID")
        configuration.developmentGuildID = snowflake("GUILD_ID")
        if let base = value("DISCORD_API_BASE") {
            if base.hasPrefix("http://") || base.hasPrefix("https://") {
                configuration.apiBase = base
            } else {
                problems.append("DISCORD_API_BASE must be an http:// or https:// URL, not \(SettingValue.shown(base))")
            }
        }
        if let gateway = value("DISCORD_GATEWAY_URL") {
            if gateway.hasPrefix("ws://") || gateway.hasPrefix("wss://") {
                configuration.gatewayURL = gateway
            } else {
                problems.append("DISCORD_GATEWAY_URL must be a ws:// or wss:// URL, not \(SettingValue.shown(gateway))")
            }
        }
        if let intents = value("DISCORD_INTENTS") {
            let parsed = GatewayIntents.parse(intents)
            if parsed.unknown.isEmpty {
                configuration.intents = parsed.intents
            } else {
                problems.append("DISCORD_INTENTS has unknown intents: \(parsed.unknown.map(SettingValue.shown).joined(separator: ", ")) (known: \(GatewayIntents.names.keys.sorted().joined(separator: ", ")))")
            }
        }
        if let count = value("DISCORD_SHARD_COUNT") {
            if let number = Int(count), number > 0 { configuration.shardCount = number } else {
                problems.append("DISCORD_SHARD_COUNT must be a positive number, not \(SettingValue.shown(count))")
            }
        }
        if let ids = value("DISCORD_SHARD_IDS") {
            if let parsed = parseShardIDs(ids) {
                configuration.shardIDs = parsed
                if let count = configuration.shardCount, let bad = parsed.first(where: { $0 >= count }) {
                    problems.append("DISCORD_SHARD_IDS includes shard \(bad), but DISCORD_SHARD_COUNT is \(count)")
                }
                if configuration.shardCount == nil { problems.append("DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT") }
            } else {
                problems.append("DISCORD_SHARD_IDS must list shard numbers like '0,1' or '0-3', not \(SettingValue.shown(ids))")
            }
        }
        if let compression = value("DISCORD_COMPRESSION") {
            switch compression.lowercased() {
            case "true", "1", "yes", "zlib-stream": configuration.compression = true
            case "false", "0", "no", "none": configuration.compression = false
            default: problems.append("DISCORD_COMPRESSION must be true or false, not \(SettingValue.shown(compression))")
            }
        }
        let status = value("DISCORD_STATUS")
        if let status, !["online", "idle", "dnd", "invisible"].contains(status) {
            problems.append("DISCORD_STATUS must be online, idle, dnd or invisible, not \(SettingValue.shown(status))")
        }
        if status != nil || value("DISCORD_ACTIVITY") != nil {
            configuration.presence = GatewayIdentify.Presence(status: status ?? "online", activity: value("DISCORD_ACTIVITY"))
        }
        guard problems.isEmpty else { throw BotConfigurationError(problems: problems) }
        return configuration
    }

    private static func parseShardIDs(_ text: String) -> [Int]? {
        var ids: [Int] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            switch bounds.count {
            case 1: guard let id = bounds[0], id >= 0 else { return nil }; ids.append(id)
            case 2: guard let low = bounds[0], let high = bounds[1], 0 <= low, low <= high else { return nil }; ids += Array(low...high)
            default: return nil
            }
        }
        return ids.isEmpty ? nil : ids
    }

    /// The gateway settings these values give.
    var gatewayConfiguration: GatewayConfiguration {
        GatewayConfiguration(token: token, intents: intents, presence: presence, compression: compression)
    }
}

/// Every problem found in the bot's configuration, one per line.
public struct BotConfigurationError: Error, Sendable, CustomStringConvertible {
    public let problems: [String]

    public var description: String {
        "the bot's configuration is invalid:\n" + problems.map { "  • \($0)" }.joined(separator: "\n")
    }
}
