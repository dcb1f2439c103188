import DiscordModels
import ArgumentParser
import CogHost
import Foundation
import Storage

/// Options every command that starts a host shares. Each falls back to an environment variable.
struct HostOptions: ParsableArguments {
    @Option(help: "The host's state directory (env COGWHEEL_DATA_DIR; default ./data).")
    var dataDir: String?

    @Option(help: "Where built cogs are installed as lib<name>.so (env COGWHEEL_COGS_DIR; default <data-dir>/cogs).")
    var cogsDir: String?

    @Option(help: "Comma-separated Discord user ids who operate the bot besides the application's owner and team (env COGWHEEL_ADMIN_IDS).")
    var adminIds: String?

    /// Comma-separated Discord ids; `what` names them in the error.
    private static func ids(_ text: String, _ what: String) throws -> [UInt64] {
        try text.split(separator: ",").map { part in
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard let id = UInt64(trimmed), id > 0 else {
                throw ValidationError("\(what) must be Discord ids (numbers, comma-separated); \(SettingValue.shown(trimmed)) is not")
            }
            return id
        }
    }

    func hostConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> HostConfiguration {
        let dataDirectory = URL(fileURLWithPath: dataDir ?? environment["COGWHEEL_DATA_DIR"] ?? "data")
        let cogsDirectory = (cogsDir ?? environment["COGWHEEL_COGS_DIR"]).map { URL(fileURLWithPath: $0) }
        let admins = Set(try Self.ids(adminIds ?? environment["COGWHEEL_ADMIN_IDS"] ?? "", "COGWHEEL_ADMIN_IDS"))
        let autoload = environment["COGWHEEL_AUTOLOAD"].map { $0.split(separator: ",").map(String.init) }
        var configuration = HostConfiguration(dataDirectory: dataDirectory, cogsDirectory: cogsDirectory, autoload: autoload,
                                              adminUserIDs: admins)
        configuration.operatorGuilds = try Self.ids(environment["COGWHEEL_OPERATOR_GUILDS"] ?? "", "COGWHEEL_OPERATOR_GUILDS")
        if let budget = environment["COGWHEEL_RELOAD_BUDGET"] {
            guard let value = Int(budget), value > 0 else {
                throw ValidationError("COGWHEEL_RELOAD_BUDGET must be a positive number of cog images; \(SettingValue.shown(budget)) is not")
            }
            configuration.reloadBudget = value
        }
        if let text = environment["COGWHEEL_MAX_IN_FLIGHT"], !text.isEmpty {
            guard let value = Int(text), (1...100_000).contains(value) else {
                throw ValidationError("COGWHEEL_MAX_IN_FLIGHT must be a number of interactions from 1 to 100000, not \(SettingValue.shown(text))")
            }
            configuration.admission = .init(serving: value)
        }
        if let text = environment["COGWHEEL_EVENT_QUEUE"], !text.isEmpty {
            guard let value = Int(text), (1...1_000_000).contains(value) else {
                throw ValidationError("COGWHEEL_EVENT_QUEUE must be a number of events from 1 to 1000000, not \(SettingValue.shown(text))")
            }
            configuration.eventQueueLimit = value
        }
        for (name, range) in [("COGWHEEL_CACHE_MEMBERS", 0...10_000_000), ("COGWHEEL_CACHE_MESSAGES", 0...10_000)] {
            guard let text = environment[name], !text.isEmpty else { continue }
            guard let value = Int(text), range.contains(value) else {
                throw ValidationError("\(name) must be a number from \(range.lowerBound) to \(range.upperBound), not \(SettingValue.shown(text))")
            }
            if name == "COGWHEEL_CACHE_MEMBERS" { configuration.cacheLimits.members = value } else { configuration.cacheLimits.messagesPerChannel = value }
        }
        if let key = environment["COGWHEEL_BACKUP_KEY"], !key.isEmpty {
            do {
                configuration.backups.key = try BackupKey(key)
            } catch {
                throw ValidationError("COGWHEEL_BACKUP_KEY: \(error.message)")
            }
        }
        if let hours = environment["COGWHEEL_BACKUP_EVERY_HOURS"] {
            guard let value = Double(hours), value >= 0 else {
                throw ValidationError("COGWHEEL_BACKUP_EVERY_HOURS must be a number of hours (0 turns scheduled backups off), not \(SettingValue.shown(hours))")
            }
            configuration.backupInterval = value == 0 ? nil : .seconds(value * 3600)
        }
        for (name, apply) in [("COGWHEEL_BACKUP_KEEP", { configuration.backups.keepCount = $0 }),
                              ("COGWHEEL_BACKUP_KEEP_DAYS", { configuration.backups.keepDays = $0 }),
                              ("COGWHEEL_AUDIT_KEEP_DAYS", { configuration.auditRetention = .seconds($0 * 86_400) })] as [(String, (Int) -> Void)] {
            guard let text = environment[name] else { continue }
            guard let value = Int(text), value > 0 else { throw ValidationError("\(name) must be a positive number, not \(SettingValue.shown(text))") }
            apply(value)
        }
        if let text = environment["COGWHEEL_DENY_CAPABILITIES"], !text.isEmpty {
            do {
                configuration.capabilityDenials = try CapabilityDenials(parsing: text)
            } catch {
                throw ValidationError("COGWHEEL_DENY_CAPABILITIES: \(error)")
            }
        }
        if let text = environment["COGWHEEL_COG_REST_SHARE"], !text.isEmpty {
            for part in text.split(separator: ",") {
                let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard let rate = Double(pieces.last ?? ""), rate > 0, rate <= 50 else {
                    throw ValidationError("COGWHEEL_COG_REST_SHARE takes requests per second (above 0, at most 50), as `10` or `10,moderation=20`; \(SettingValue.shown(String(part))) is not")
                }
                if pieces.count == 2 { configuration.restShares.byCog[pieces[0]] = rate } else { configuration.restShares.perCog = rate }
            }
        }
        (configuration.sqlBudgets.interaction, configuration.sqlBudgets.interactionByCog) =
            try Self.budgets(environment["COGWHEEL_SQL_BUDGET_MS"], "COGWHEEL_SQL_BUDGET_MS", default: configuration.sqlBudgets.interaction)
        (configuration.sqlBudgets.job, configuration.sqlBudgets.jobByCog) =
            try Self.budgets(environment["COGWHEEL_SQL_JOB_BUDGET_MS"], "COGWHEEL_SQL_JOB_BUDGET_MS", default: configuration.sqlBudgets.job)
        return configuration
    }

    /// `250` or `250,gazette=1000`: a default in milliseconds, then per-cog overrides.
    private static func budgets(_ text: String?, _ name: String, default fallback: Duration) throws -> (Duration, [String: Duration]) {
        guard let text, !text.isEmpty else { return (fallback, [:]) }
        var fallback = fallback
        var byCog: [String: Duration] = [:]
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let milliseconds = Int(pieces.last ?? ""), (1...600_000).contains(milliseconds) else {
                throw ValidationError("\(name) takes milliseconds (1–600000), as `250` or `250,gazette=1000`; \(SettingValue.shown(String(part))) is not")
            }
            if pieces.count == 2 { byCog[pieces[0]] = .milliseconds(milliseconds) } else { fallback = .milliseconds(milliseconds) }
        }
        return (fallback, byCog)
    }
}
