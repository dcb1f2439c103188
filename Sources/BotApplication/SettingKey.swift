/// One setting the bot reads: its name, what it means and its default. ``all`` is the one key
/// table: the JSON config file accepts exactly these keys, and `.env.example` and the README's
/// settings table are written from it (`cogwheel settings --write`), so a key is written once.
///
/// ```swift
/// SettingKey.all.map(\.name)            // every variable, in the order of .env.example
/// print(SettingKey.envExample)          // the .env.example file
/// ```
public struct SettingKey: Sendable, Equatable {
    /// A group of settings, one heading in `.env.example`.
    public enum Section: String, Sendable, CaseIterable {
        case discord = "Discord"
        case host = "Host"
        case backups = "Backups"
        case operations = "Operations"
        case logs = "Logs"
    }

    public let name: String
    public let section: Section
    /// What it means, for `.env.example` (one or more comment lines) and the README.
    public let meaning: String
    /// The value `.env.example` shows: the default, or empty when the default is computed.
    public let example: String

    init(_ name: String, _ section: Section, _ meaning: String, example: String = "") {
        self.name = name
        self.section = section
        self.meaning = meaning
        self.example = example
    }

    /// Every setting, in the order of `.env.example`.
    public static let all: [SettingKey] = [
        SettingKey("DISCORD_TOKEN", .discord, "The bot token from the Developer Portal (Bot → Reset Token). Required. Never logged."),
        SettingKey("DISCORD_APPLICATION_ID", .discord, "The application id; asked from Discord when empty."),
        SettingKey("GUILD_ID", .discord, "A development guild: commands sync there (instantly) instead of globally. Empty = global."),
        SettingKey("DISCORD_API_BASE", .discord, "Where Discord's REST API is. Point it (and the gateway URL) at `cogwheel simulate` to test without Discord.",
                   example: "https://discord.com/api/v10"),
        SettingKey("DISCORD_GATEWAY_URL", .discord, "The gateway URL. Empty = the URL GET /gateway/bot returns."),
        SettingKey("DISCORD_INTENTS", .discord, "A number or names: guilds,guild_messages,... Slash commands need only `guilds`.",
                   example: "guilds"),
        SettingKey("DISCORD_SHARD_COUNT", .discord, "Total shards. Empty = Discord's recommendation."),
        SettingKey("DISCORD_SHARD_IDS", .discord, "The shards this process runs (0,1 or 0-3). Empty = all of them."),
        SettingKey("DISCORD_COMPRESSION", .discord, "zlib-stream transport compression, true or false.", example: "true"),
        SettingKey("DISCORD_STATUS", .discord, "Presence: online, idle, dnd or invisible.", example: "online"),
        SettingKey("DISCORD_ACTIVITY", .discord, "A \"Playing ...\" text for the presence."),
        SettingKey("COGWHEEL_DATA_DIR", .host, "State: database, loaded cog copies, flight recorder, saved gateway session.",
                   example: "./data"),
        SettingKey("COGWHEEL_COGS_DIR", .host, "Where built cogs are installed as lib<name>.so. Empty = <data dir>/cogs."),
        SettingKey("COGWHEEL_ADMIN_IDS", .host,
                   "Operators besides the application's owner and its team's admins and developers (Discord user ids, comma-separated): they run /reload, /load, /unload, /cogs, /sync, /backup, /jobs, /health. A guild's Administrator is not an operator."),
        SettingKey("COGWHEEL_OPERATOR_GUILDS", .host,
                   "Guild ids where the operators' commands are registered (comma-separated). Empty = with the other commands, hidden from non-administrators."),
        SettingKey("COGWHEEL_SQL_BUDGET_MS", .host,
                   "How long one cog SQL statement may run while answering, in ms, then per cog: `250,gazette=1000`. Past it the statement is interrupted.",
                   example: "250"),
        SettingKey("COGWHEEL_SQL_JOB_BUDGET_MS", .host, "The same while one of the cog's scheduled jobs runs.", example: "5000"),
        SettingKey("COGWHEEL_AUDIT_KEEP_DAYS", .host, "Days the audit log keeps its entries.", example: "90"),
        SettingKey("COGWHEEL_MAX_IN_FLIGHT", .host,
                   "Interactions served at once. Past it players are told the bot is busy (a quarter as many such answers at once; the rest are dropped).",
                   example: "1000"),
        SettingKey("COGWHEEL_EVENT_QUEUE", .host,
                   "Gateway events queued for one cog at most. Past it new events for that cog are dropped, counted (cogwheel_cog_events_dropped_total) and logged.",
                   example: "1000"),
        SettingKey("COGWHEEL_DENY_CAPABILITIES", .host,
                   "Discord capabilities taken from cogs whatever they declare, as cog=capability: `welcome=dm,*=mentions.everyone`. A denied call is refused with the capability named."),
        SettingKey("COGWHEEL_COG_REST_SHARE", .host,
                   "Each cog's share of the bot's REST budget in requests per second, then per cog: `10,moderation=20`. Empty = Discord's 50/s split evenly between the loaded cogs. Past it a cog's requests wait up to 2 s, then are refused."),
        SettingKey("COGWHEEL_CACHE_MEMBERS", .host,
                   "Guild members the cache keeps across all guilds; the least recently seen go first (the bot's own stay).",
                   example: "100000"),
        SettingKey("COGWHEEL_CACHE_MESSAGES", .host,
                   "Recent messages the cache keeps per channel, so a deletion can show what was deleted; 0 keeps none.",
                   example: "0"),
        SettingKey("COGWHEEL_AUTOLOAD", .host, "Cogs loaded at the first start (comma-separated). Empty = every installed cog."),
        SettingKey("COGWHEEL_RELOAD_BUDGET", .host, "Cog images mapped before /cogs recommends a restart.", example: "200"),
        SettingKey("COGWHEEL_BACKUP_KEY", .backups,
                   "32 bytes as 64 hex digits or base64 (e.g. `openssl rand -hex 32`). Set = backups are encrypted."),
        SettingKey("COGWHEEL_BACKUP_KEEP", .backups, "Keep this many backups (the newest is always kept).", example: "14"),
        SettingKey("COGWHEEL_BACKUP_KEEP_DAYS", .backups, "Keep none older than this many days (the newest is always kept).", example: "30"),
        SettingKey("COGWHEEL_BACKUP_EVERY_HOURS", .backups, "The running host backs up every N hours; 0 = never.", example: "24"),
        SettingKey("COGWHEEL_OPS_ADDRESS", .operations,
                   "Where /health, /ready, /health/discord and /metrics (Prometheus) listen; `off` turns them off. Keep it on loopback unless a firewall or reverse proxy guards the port.",
                   example: "127.0.0.1:9464"),
        SettingKey("COGWHEEL_OPS_TOKEN", .operations,
                   "A bearer token /metrics requires (`Authorization: Bearer ...`); /health and /ready stay open for probes. Empty = none. Never logged."),
        SettingKey("COGWHEEL_HEARTBEAT_FILE", .operations,
                   "A JSON heartbeat for external watchdogs. Empty = <data dir>/heartbeat.json; `off` turns it off."),
        SettingKey("COGWHEEL_HEARTBEAT_SECONDS", .operations, "Seconds between heartbeats.", example: "10"),
        SettingKey("COGWHEEL_CRASH_WINDOW_SECONDS", .operations, "Crashes within this many seconds count towards a crash loop.",
                   example: "600"),
        SettingKey("COGWHEEL_CRASH_LOOP_AFTER", .operations,
                   "After this many crashes within the window, wait before connecting (10 s, doubling per further crash).", example: "3"),
        SettingKey("COGWHEEL_CRASH_BACKOFF_MAX_SECONDS", .operations, "The longest wait before connecting in a crash loop.", example: "120"),
        SettingKey("COGWHEEL_NOTIFY_WEBHOOK", .operations,
                   "A Discord webhook URL told of start, crash-restart, failed reload and failed backup (its token is a secret, never logged)."),
        SettingKey("COGWHEEL_NOTIFY_CHANNEL", .operations, "A channel id the bot posts those notices to itself."),
        SettingKey("COGWHEEL_LOG_LEVEL", .logs, "trace, debug, info, notice, warning, error or critical (`cogwheel run --log-level` wins).",
                   example: "info"),
        SettingKey("COGWHEEL_LOG_LEVELS", .logs, "A level per subsystem (host, gateway, rest, ops), e.g. gateway=debug,rest=warning."),
        SettingKey("COGWHEEL_LOG_FORMAT", .logs, "text, or json for one JSON object per line.", example: "text"),
        SettingKey("COGWHEEL_LOG_FILE", .logs, "Also write the log to this file (mode 0600), rotated by size."),
        SettingKey("COGWHEEL_LOG_MAX_MB", .logs, "Rotate the log file at this many MiB.", example: "10"),
        SettingKey("COGWHEEL_LOG_KEEP", .logs, "Keep this many rotated log files.", example: "5"),
    ]

    /// Every setting's name.
    public static let names = Set(all.map(\.name))

    /// The `.env.example` file.
    public static var envExample: String {
        var lines = [
            "# Cogwheel settings. Copy to .env (git ignores .env) and fill in.",
            "# Variables already set in the environment win over this file. Check with: cogwheel check-config",
            "# The same settings may also come from a JSON config file, weakest of the three:",
            "#   cogwheel run --config cogwheel.json   (or COGWHEEL_CONFIG=cogwheel.json)",
            "# Written by `cogwheel settings --write` from the key table (Sources/BotApplication/SettingKey.swift).",
        ]
        for section in Section.allCases {
            lines.append("")
            lines.append("# --- \(section.rawValue) " + String(repeating: "-", count: max(3, 86 - section.rawValue.count)))
            for key in all where key.section == section {
                lines += wrapped(key.meaning, width: 95).map { "# " + $0 }
                lines.append("\(key.name)=\(key.example)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The README's table of every setting.
    public static var markdownTable: String {
        var lines = ["| variable | section | default | meaning |", "| --- | --- | --- | --- |"]
        for key in all {
            let example = key.example.isEmpty ? "" : "`\(key.example)`"
            lines.append("| `\(key.name)` | \(key.section.rawValue) | \(example) | \(key.meaning.replacingOccurrences(of: "|", with: "\\|")) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `text` in lines of at most `width` characters, broken between words.
    private static func wrapped(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += line.isEmpty ? String(word) : " " + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
