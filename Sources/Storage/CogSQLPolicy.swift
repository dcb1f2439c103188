import CSQLite
import Foundation

/// What a cog's SQL may touch, decided action by action by SQLite's authorizer while the
/// statement is prepared.
///
/// A cog owns the tables and indexes named `<cog>__<name>` (two underscores, then a letter or
/// digit): `xp__members`, `xp__members_by_guild`. Everything else — other cogs' tables, the
/// host's tables, the schema table, temporary objects, views, triggers, `ATTACH`, `DETACH`,
/// transactions (the host runs each call in one), pragmas other than the read-only table
/// introspection ones, and SQL functions outside ``allowedFunctions`` (no `load_extension`, no
/// `fts3_tokenizer`) — is denied with a reason the cog can act on.
///
/// SQLite also asks the authorizer about what it does itself: creating a table writes the
/// schema table, `ALTER TABLE … RENAME` reads and rewrites it (in `temp` too), and
/// `json_each` registers itself. Those are allowed; a statement whose text names the schema
/// table is not (``namesSchemaTable(_:)``), so no cog reads it, DDL or not.
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

    /// The SQL functions a cog may call: SQLite's core, aggregate, window, date, math and JSON
    /// functions, and those SQLite calls itself while altering a table. Not `load_extension`,
    /// `fts3_tokenizer` (it hands out pointers) or the `sqlite_*` introspection functions.
    public static let allowedFunctions: Set<String> = [
        // Core scalar functions.
        "abs", "changes", "char", "coalesce", "concat", "concat_ws", "format", "glob", "hex", "if", "ifnull", "iif", "instr",
        "last_insert_rowid", "length", "like", "likelihood", "likely", "lower", "ltrim", "max", "min", "nullif",
        "octet_length", "printf", "quote", "random", "randomblob", "replace", "round", "rtrim", "sign", "soundex", "substr",
        "substring", "total_changes", "trim", "typeof", "unhex", "unicode", "unistr", "unlikely", "upper", "zeroblob",
        // Aggregates and window functions.
        "avg", "count", "group_concat", "string_agg", "sum", "total", "row_number", "rank", "dense_rank", "percent_rank",
        "cume_dist", "ntile", "lag", "lead", "first_value", "last_value", "nth_value",
        // Date and time.
        "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff", "current_date", "current_time",
        "current_timestamp",
        // Math.
        "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "ceiling", "cos", "cosh", "degrees", "exp",
        "floor", "ln", "log", "log10", "log2", "mod", "pi", "pow", "power", "radians", "sin", "sinh", "sqrt", "tan", "tanh",
        "trunc",
        // JSON.
        "json", "jsonb", "json_array", "jsonb_array", "json_array_length", "json_error_position", "json_extract",
        "jsonb_extract", "json_insert", "jsonb_insert", "json_object", "jsonb_object", "json_patch", "jsonb_patch",
        "json_pretty", "json_remove", "jsonb_remove", "json_replace", "jsonb_replace", "json_set", "jsonb_set", "json_type",
        "json_valid", "json_quote", "json_group_array", "jsonb_group_array", "json_group_object", "jsonb_group_object",
        // What SQLite calls itself to rename or drop a column or table; not callable from SQL.
        "sqlite_rename_table", "sqlite_rename_column", "sqlite_rename_test", "sqlite_rename_quotefix", "sqlite_drop_column",
    ]

    /// Table-valued functions a cog may read from.
    private static let tableValuedFunctions: Set<String> = ["json_each", "json_tree", "jsonb_each", "jsonb_tree"]

    private static let schemaTables: Set<String> = ["sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_temp_schema"]

    /// Whether `sql` names a schema table. SQLite's own reads and writes of it are authorised
    /// like the cog's, so the text is what tells the cog's apart: identifiers cannot be built
    /// at run time, and case folding applies to ASCII only.
    public static func namesSchemaTable(_ sql: String) -> Bool {
        let lowered = sql.lowercased()
        return schemaTables.contains { lowered.contains($0) }
    }

    /// What the authorizer needs to know of a statement's text.
    public struct Statement: Sendable, Equatable {
        /// It names the schema table (``namesSchemaTable(_:)``).
        public var namesSchema: Bool
        /// It is an `ALTER TABLE`, which SQLite carries out by rewriting the schema table and
        /// renaming `sqlite_sequence` rows.
        public var alters: Bool
        /// The names it declares as common table expressions (`c` in `WITH RECURSIVE c(x) AS (…)`).
        public var commonTables: Set<String>

        public init(_ sql: String) {
            namesSchema = CogSQLPolicy.namesSchemaTable(sql)
            alters = CogSQLPolicy.firstKeyword(of: sql) == "ALTER"
            commonTables = CogSQLPolicy.commonTableNames(in: sql)
        }
    }

    /// Decides one authorizer callback (`action` is an `SQLITE_*` action code; `first` and
    /// `second` its two arguments; `database` the schema it touches) for `statement`.
    public func decide(action: Int32, _ first: String?, _ second: String?, database: String?, statement: Statement) -> Decision {
        if let first, Self.schemaTables.contains(first), [SQLITE_READ, SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE].contains(action) {
            // SQLite's own bookkeeping (also in `temp` while renaming); a cog cannot write the
            // schema table itself (SQLite refuses that without writable_schema).
            return statement.namesSchema ? .deny("the schema table is off limits to cogs") : .allow
        }
        if first == "sqlite_sequence", [SQLITE_READ, SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE].contains(action) {
            // Shared by every cog's AUTOINCREMENT tables. SQLite keeps it itself without asking,
            // except when a rename moves the renamed table's row.
            return statement.alters ? .allow
                : .deny("sqlite_sequence is shared by every cog; read MAX(id) from the cog's own table instead")
        }
        if action == SQLITE_ALTER_TABLE {
            // `first` is the database and, for DROP COLUMN, the third argument is the column.
            guard first == "main" else { return .deny("cogs use the main database only (not '\(first ?? "")')") }
            return ownedTable(second, doing: "alter")
        }
        if let database, database != "main" {
            return .deny("cogs use the main database only (not '\(database)')")
        }
        switch action {
        case SQLITE_SELECT, SQLITE_RECURSIVE:
            return .allow
        case SQLITE_CREATE_TABLE where first == "sqlite_sequence":
            // The first AUTOINCREMENT table makes it; SQLite reserves the name, so only it can.
            return .allow
        case SQLITE_CREATE_TABLE, SQLITE_DROP_TABLE, SQLITE_ANALYZE:
            return ownedTable(first, doing: "use")
        case SQLITE_READ:
            if let first, Self.tableValuedFunctions.contains(first) { return .allow }
            // A recursive common table expression is read by its own name, in no database
            // (`c` in `WITH RECURSIVE c(x) AS …`); a real table or a virtual one (`dbstat`) is
            // read in `main`. No table of anyone else's can have such a name anyway.
            if let first, database == nil, statement.commonTables.contains(first.lowercased()),
               !Self.couldBeAnotherOwnersTable(first) {
                return .allow
            }
            return ownedTable(first, doing: "read")
        case SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE:
            return ownedTable(first, doing: "write")
        case SQLITE_CREATE_INDEX, SQLITE_DROP_INDEX:
            // PRIMARY KEY and UNIQUE constraints create `sqlite_autoindex_<table>_<n>` indexes.
            guard let index = first, owns(index) || index.hasPrefix("sqlite_autoindex_\(tablePrefix)") else {
                return .deny("index '\(first ?? "")' must be named \(tablePrefix)<name>")
            }
            return ownedTable(second, doing: "index")
        case SQLITE_REINDEX:
            return ownedTable(first, doing: "reindex")
        case SQLITE_PRAGMA:
            guard let pragma = first?.lowercased(), Self.introspectionPragmas.contains(pragma), let target = second,
                  owns(target) else {
                return .deny("PRAGMA \(first ?? "") is not available to cogs; only table_info and index introspection of the cog's own tables")
            }
            return .allow
        case SQLITE_FUNCTION:
            guard let function = second?.lowercased(), Self.allowedFunctions.contains(function) else {
                return .deny("the SQL function \(second ?? "") is not available to cogs")
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

    /// Whether `name` could name a table that is not the cog's: another cog's (`<cog>__…`), the
    /// host's (`host_…`, `cogwheel_…`) or SQLite's (`sqlite_…`). Cogs can create only their own.
    static func couldBeAnotherOwnersTable(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered.contains("__") || lowered.hasPrefix("host_") || lowered.hasPrefix("cogwheel_") || lowered.hasPrefix("sqlite_")
    }

    private func ownedTable(_ table: String?, doing verb: String) -> Decision {
        guard let table else { return .allow }
        if owns(table) { return .allow }
        return .deny("cog \(cog) may not \(verb) table '\(table)': a cog sees only its own tables, named \(tablePrefix)<name>")
    }

    /// The lowercased names `sql` declares before `AS (` (with an optional column list, and
    /// `[NOT] MATERIALIZED`): its common table expressions, and a few words that are not.
    static func commonTableNames(in sql: String) -> Set<String> {
        guard sql.range(of: "with", options: .caseInsensitive) != nil else { return [] }
        let pattern = #"([A-Za-z_][A-Za-z0-9_]*)\s*(\([^()]*\))?\s+AS\s+(NOT\s+)?(MATERIALIZED\s+)?\("#
        guard let expression = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return [] }
        let text = sql as NSString
        return Set(expression.matches(in: sql, range: NSRange(location: 0, length: text.length)).map {
            text.substring(with: $0.range(at: 1)).lowercased()
        })
    }

    /// The first keyword of `sql`, after blanks and comments, uppercased.
    static func firstKeyword(of sql: String) -> String {
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
        return rest.prefix { $0.isLetter }.uppercased()
    }

    /// Whether the first statement of `sql` (after blanks and comments) is CREATE, ALTER or DROP.
    static func isDDL(_ sql: String) -> Bool {
        ["CREATE", "ALTER", "DROP"].contains(firstKeyword(of: sql))
    }
}
