import CSQLite
import Foundation

/// What a cog's SQL may touch, decided action by action by SQLite's authorizer while the
/// statement is prepared.
///
/// A cog owns the tables and indexes named `<cog>__<name>` (two underscores, then a letter or
/// digit): `xp__members`, `xp__members_by_guild`. Everything else — other cogs' tables, the
/// host's tables, the schema table outside DDL, temporary objects, views, triggers, `ATTACH`,
/// `DETACH`, transactions (the host runs each call in one), pragmas other than the read-only
/// table introspection ones, and `load_extension` — is denied with a reason the cog can act on.
public struct CogSQLPolicy: Sendable {
    public let cog: String

    public enum Decision: Sendable, Equatable {
        case allow
        case deny(String)
    }

    public init(cog: String) {
        self.cog = cog
    }

    /// The prefix of every table and index the cog owns.
    public var tablePrefix: String { "\(cog)__" }

    /// Whether table or index `name` belongs to the cog.
    public func owns(_ name: String) -> Bool {
        guard name.hasPrefix(tablePrefix), let next = name.dropFirst(tablePrefix.count).first else { return false }
        return next.isLetter || next.isNumber
    }

    /// Pragmas that only describe the cog's own tables and indexes.
    private static let introspectionPragmas: Set<String> = [
        "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    ]

    /// Decides one authorizer callback (`action` is an `SQLITE_*` action code; `first` and
    /// `second` its two arguments; `database` the schema it touches). `ddl` says whether the
    /// statement creates, alters or drops something, which reads and writes the schema table.
    public func decide(action: Int32, _ first: String?, _ second: String?, database: String?, ddl: Bool) -> Decision {
        if let database, database != "main" {
            return .deny("cogs use the main database only (not '\(database)')")
        }
        switch action {
        case SQLITE_SELECT, SQLITE_RECURSIVE:
            return .allow
        case SQLITE_CREATE_TABLE, SQLITE_DROP_TABLE, SQLITE_ANALYZE:
            return ownedTable(first, doing: "use", ddl: ddl)
        case SQLITE_READ:
            return ownedTable(first, doing: "read", ddl: ddl)
        case SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE:
            return ownedTable(first, doing: "write", ddl: ddl)
        case SQLITE_CREATE_INDEX, SQLITE_DROP_INDEX:
            // PRIMARY KEY and UNIQUE constraints create `sqlite_autoindex_<table>_<n>` indexes.
            guard let index = first, owns(index) || index.hasPrefix("sqlite_autoindex_\(tablePrefix)") else {
                return .deny("index '\(first ?? "")' must be named \(tablePrefix)<name>")
            }
            return ownedTable(second, doing: "index", ddl: ddl)
        case SQLITE_REINDEX:
            return ownedTable(first, doing: "reindex", ddl: ddl)
        case SQLITE_ALTER_TABLE:
            return ownedTable(second, doing: "alter", ddl: ddl)
        case SQLITE_PRAGMA:
            guard let pragma = first?.lowercased(), Self.introspectionPragmas.contains(pragma), let target = second,
                  owns(target) else {
                return .deny("PRAGMA \(first ?? "") is not available to cogs; only table_info and index introspection of the cog's own tables")
            }
            return .allow
        case SQLITE_FUNCTION:
            guard let function = second?.lowercased(), function != "load_extension" else {
                return .deny("load_extension is not available to cogs")
            }
            return .allow
        case SQLITE_ATTACH, SQLITE_DETACH:
            return .deny("ATTACH and DETACH are not available to cogs")
        case SQLITE_TRANSACTION, SQLITE_SAVEPOINT:
            return .deny("the host runs each call in its own transaction; use a batch to group writes")
        case SQLITE_CREATE_VIEW, SQLITE_CREATE_TRIGGER, SQLITE_DROP_VIEW, SQLITE_DROP_TRIGGER,
             SQLITE_CREATE_VTABLE, SQLITE_DROP_VTABLE:
            return .deny("views, triggers and virtual tables are not available to cogs")
        default:
            return .deny("temporary tables, views and triggers are not available to cogs")
        }
    }

    private func ownedTable(_ table: String?, doing verb: String, ddl: Bool) -> Decision {
        guard let table else { return .allow }
        if owns(table) { return .allow }
        if table == "sqlite_master" || table == "sqlite_schema" {
            return ddl ? .allow : .deny("the schema table is off limits to cogs")
        }
        return .deny("cog \(cog) may not \(verb) table '\(table)': a cog sees only its own tables, named \(tablePrefix)<name>")
    }

    /// Whether the first statement of `sql` (after blanks and comments) is CREATE, ALTER or DROP.
    static func isDDL(_ sql: String) -> Bool {
        var rest = Substring(sql)
        while true {
            rest = rest.drop { $0.isWhitespace }
            if rest.hasPrefix("--") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*"), let end = rest.range(of: "*/") {
                rest = rest[end.upperBound...]
            } else {
                break
            }
        }
        let keyword = rest.prefix { $0.isLetter }.uppercased()
        return keyword == "CREATE" || keyword == "ALTER" || keyword == "DROP"
    }
}
