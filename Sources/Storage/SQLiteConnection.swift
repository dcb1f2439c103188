import CSQLite
import Foundation

/// One SQLite connection with the host's settings and the cog authorizer installed.
///
/// Not thread-safe: ``SQLiteDatabase`` hands a connection to one caller at a time. While a
/// cog's statement is prepared, ``principal`` names the cog and ``CogSQLPolicy`` decides every
/// table, pragma and function it touches; while it runs, its ``CogSQLLimits`` apply. The
/// host's own statements run with no principal and no limits.
final class SQLiteConnection: @unchecked Sendable {
    // @unchecked: only used by the one caller that holds it (see SQLiteDatabase).
    let handle: OpaquePointer
    /// The cog whose SQL is being prepared and run, or `nil` for the host.
    private(set) var principal: CogPrincipal?
    /// When the running cog statement is interrupted; `nil` for the host's statements.
    private var deadline: ContinuousClock.Instant?
    /// Whether the progress handler interrupted the last statement for its budget.
    private var ranOutOfBudget = false
    /// SQLite's own limits, kept while a cog's limits replace them.
    private var hostLimits: [Int32] = []
    /// What the authorizer needs to know of the statement being prepared (and run: SQLite
    /// asks again while an ALTER rewrites the schema).
    private var preparing = CogSQLPolicy.Statement("")
    /// Why the authorizer refused the last statement, for the error the cog sees.
    private var denial: String?

    init(file: URL, readOnly: Bool, cacheKiB: Int, mmapBytes: Int) throws(StorageError) {
        var handle: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(file.path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            throw StorageError(code: status, message: message, context: "opening \(file.path)")
        }
        self.handle = handle
        sqlite3_busy_timeout(handle, 5_000)
        sqlite3_set_authorizer(handle, authorize, Unmanaged.passUnretained(self).toOpaque())
        // Every 1,000 virtual-machine steps: a few microseconds apart, cheap next to them.
        sqlite3_progress_handler(handle, 1_000, progress, Unmanaged.passUnretained(self).toOpaque())
        var pragmas = [
            "PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -\(cacheKiB)", "PRAGMA mmap_size = \(mmapBytes)",
            // Functions in the schema (a crafted DEFAULT or CHECK) run only if SQLite marks them harmless.
            "PRAGMA trusted_schema = OFF",
        ]
        if !readOnly {
            pragmas = ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"] + pragmas
        }
        for pragma in pragmas { try run(pragma) { _ in } }
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs `body` with statements authorised and limited as cog `principal` (or as the host
    /// when `nil`).
    func authorized<T>(as principal: CogPrincipal?, _ body: () throws -> T) rethrows -> T {
        let previous = self.principal
        apply(principal)
        defer { apply(previous) }
        return try body()
    }

    private func apply(_ principal: CogPrincipal?) {
        if principal != nil, self.principal == nil {
            hostLimits = CogSQLLimits.sqliteLimits.map { sqlite3_limit(handle, $0.limit, $0.value) }
        } else if principal == nil, self.principal != nil {
            for (index, entry) in CogSQLLimits.sqliteLimits.enumerated() { sqlite3_limit(handle, entry.limit, hostLimits[index]) }
        }
        self.principal = principal
    }

    /// Starts the budget of a cog's statement; returns whether there is one. The host's own
    /// statements run within whatever budget the cog statement around them has.
    private func startBudget() -> Bool {
        guard let principal else { return false }
        deadline = ContinuousClock.now + principal.limits.budget
        ranOutOfBudget = false
        return true
    }

    /// The progress handler's question: stop the running statement now?
    fileprivate func shouldInterrupt() -> Bool {
        guard let deadline, ContinuousClock.now > deadline else { return false }
        ranOutOfBudget = true
        return true
    }

    /// Runs every statement of `sql` in order, without parameters (a migration script).
    func runScript(_ sql: String) throws(StorageError) {
        var remaining = Substring(sql)
        while let statement = try prepare(&remaining) {
            defer { sqlite3_finalize(statement) }
            let limited = startBudget()
            defer { if limited { deadline = nil } }
            try guardingForeignKeys(of: statement) { () throws(StorageError) in
                while true {
                    let status = sqlite3_step(statement)
                    if status == SQLITE_DONE { break }
                    if status != SQLITE_ROW { throw error(String(sql.prefix(200))) }
                }
            }
        }
    }

    /// Runs `step` (stepping a cog's DDL `statement`) in a savepoint, then checks that no table
    /// of the cog references another owner's table; if one does, the statement is undone.
    /// A foreign key into another cog's table would let the cog stop that cog deleting its own
    /// rows. The host's statements and a cog's DML are stepped as they are.
    private func guardingForeignKeys(of statement: OpaquePointer, _ step: () throws(StorageError) -> Void) throws(StorageError) {
        guard let principal, let text = sqlite3_sql(statement), CogSQLPolicy.isDDL(String(cString: text)) else {
            return try step()
        }
        let policy = CogSQLPolicy(cog: principal.cog)
        let othersBefore = try othersObjects(policy)
        try asHost("SAVEPOINT cog_ddl")
        do throws(StorageError) {
            try step()
            // A rename names its new table without asking the authorizer: into another
            // owner's name (`victim__t`, `host_…`) it would squat a name a migration needs.
            let othersAfter = try othersObjects(policy)
            if othersAfter != othersBefore {
                let name = othersAfter.subtracting(othersBefore).sorted().first ?? othersBefore.subtracting(othersAfter).sorted().first ?? ""
                throw StorageError(code: SQLITE_AUTH, message: "a cog's DDL may create or rename only its own tables, named \(policy.tablePrefix)<name>; not '\(name)'",
                                   context: "cog \(principal.cog)")
            }
            var foreign: (table: String, target: String)?
            let statement = preparing
            self.principal = nil
            defer {
                self.principal = principal
                preparing = statement
            }
            _ = try run("""
                SELECT m.name AS table_name, f."table" AS target FROM sqlite_schema AS m, pragma_foreign_key_list(m.name) AS f
                WHERE m.type = 'table'
                """) { row in
                guard foreign == nil, let table = row["table_name"].text, policy.owns(table),
                      let target = row["target"].text, !policy.owns(target) else { return }
                foreign = (table, target)
            }
            if let foreign {
                throw StorageError(code: SQLITE_AUTH, message: "table '\(foreign.table)' references '\(foreign.target)': a cog's foreign keys may reference only its own tables",
                                   context: "cog \(principal.cog)")
            }
            try asHost("RELEASE cog_ddl")
        } catch {
            try? asHost("ROLLBACK TO cog_ddl")
            try? asHost("RELEASE cog_ddl")
            throw error
        }
    }

    /// Runs a statement of the host's own between a cog's (no authorizer, no limits), keeping
    /// what the authorizer knows of the cog's statement.
    private func asHost(_ sql: String, row: (SQLiteRow) -> Void = { _ in }) throws(StorageError) {
        let (principal, statement) = (self.principal, preparing)
        self.principal = nil
        defer { (self.principal, preparing) = (principal, statement) }
        try run(sql, row: row)
    }

    /// The names in the schema that are not the cog's or SQLite's own.
    private func othersObjects(_ policy: CogSQLPolicy) throws(StorageError) -> Set<String> {
        var names: Set<String> = []
        try asHost("SELECT name FROM sqlite_schema") { row in
            // sqlite_sequence appears with the first AUTOINCREMENT table; only SQLite can make it.
            if let name = row["name"].text, !policy.owns(name), !name.hasPrefix("sqlite_autoindex_\(policy.tablePrefix)"),
               name != "sqlite_sequence" {
                names.insert(name)
            }
        }
        return names
    }

    /// Runs one statement with bound parameters, handing each row to `row`. With
    /// `onlyIfReadOnly`, a statement that would write is not run and the call returns `false`.
    @discardableResult
    func run(
        _ sql: String, _ parameters: [SQLiteValue] = [], onlyIfReadOnly: Bool = false, row: (SQLiteRow) -> Void
    ) throws(StorageError) -> Bool {
        var remaining = Substring(sql)
        guard let statement = try prepare(&remaining) else { return true }
        defer { sqlite3_finalize(statement) }
        guard remaining.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: ";"))).isEmpty else {
            throw StorageError(code: SQLITE_MISUSE, message: "one statement per call; use a batch for several",
                               context: String(sql.prefix(200)))
        }
        if onlyIfReadOnly, sqlite3_stmt_readonly(statement) == 0 { return false }
        try bind(parameters, to: statement, sql: sql)
        let columnCount = sqlite3_column_count(statement)
        let columns = (0..<columnCount).map { String(cString: sqlite3_column_name(statement, $0)) }
        let limits = principal?.limits
        let limited = startBudget()
        defer { if limited { deadline = nil } }
        var (rows, bytes) = (0, 0)
        try guardingForeignKeys(of: statement) { () throws(StorageError) in
            while true {
                switch sqlite3_step(statement) {
                case SQLITE_ROW:
                    if let limits {
                        // Counted before the values are copied: 200 columns of 100 KB each
                        // would otherwise be built first.
                        rows += 1
                        bytes += (0..<columnCount).reduce(0) { $0 + max(8, Int(sqlite3_column_bytes(statement, $1))) }
                        guard rows <= limits.maxRows, bytes <= limits.maxBytes else {
                            throw StorageError(code: SQLITE_TOOBIG, message: "a result may hold at most \(limits.maxRows) rows and \(limits.maxBytes / 1_048_576) MiB; add a LIMIT or page through it",
                                               context: "cog \(principal?.cog ?? ""): \(sql.prefix(200))")
                        }
                    }
                    row(SQLiteRow(columns: columns, values: (0..<columnCount).map { value(statement, $0) }))
                case SQLITE_DONE:
                    return
                default:
                    throw error(String(sql.prefix(200)))
                }
            }
        }
        return true
    }

    /// Rows changed by the last statement, and the last inserted rowid.
    var changes: Int { Int(sqlite3_changes(handle)) }
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Prepares the next statement of `remaining`, advancing it; `nil` when only whitespace or comments remain.
    private func prepare(_ remaining: inout Substring) throws(StorageError) -> OpaquePointer? {
        // SQLite stops reading at a NUL, so the text after one would never be consumed (found by
        // the SQL fuzzer: "\0" looped here for ever).
        guard !remaining.utf8.contains(0) else {
            throw StorageError(code: SQLITE_MISUSE, message: "the SQL text holds a NUL byte", context: String(remaining.prefix(200)))
        }
        while true {
            let text = String(remaining)
            guard !text.allSatisfy(\.isWhitespace) else { return nil }
            var statement: OpaquePointer?
            var tailOffset = 0
            preparing = principal == nil ? CogSQLPolicy.Statement("") : CogSQLPolicy.Statement(text)
            denial = nil
            let status = text.withCString { start -> Int32 in
                var tail: UnsafePointer<CChar>?
                let status = sqlite3_prepare_v2(handle, start, -1, &statement, &tail)
                tailOffset = tail.map { $0 - start } ?? text.utf8.count
                return status
            }
            remaining = Substring(text.utf8.dropFirst(tailOffset))
            guard status == SQLITE_OK else {
                if let denial, let principal {
                    throw StorageError(code: SQLITE_AUTH, message: denial, context: "cog \(principal.cog): \(text.prefix(200))")
                }
                throw error(String(text.prefix(200)))
            }
            if let statement { return statement }
            guard tailOffset > 0 else {
                throw StorageError(code: SQLITE_MISUSE, message: "SQLite read nothing of the SQL text", context: String(text.prefix(200)))
            }
        }
    }

    private func bind(_ parameters: [SQLiteValue], to statement: OpaquePointer, sql: String) throws(StorageError) {
        let expected = Int(sqlite3_bind_parameter_count(statement))
        guard expected == parameters.count else {
            throw StorageError(code: SQLITE_RANGE, message: "the statement has \(expected) parameters, \(parameters.count) given",
                               context: String(sql.prefix(200)))
        }
        for (index, value) in parameters.enumerated() {
            let position = Int32(index + 1)
            let status: Int32 = switch value {
            case .null: sqlite3_bind_null(statement, position)
            case .integer(let number): sqlite3_bind_int64(statement, position, number)
            case .real(let number): sqlite3_bind_double(statement, position, number)
            case .text(let text): sqlite3_bind_text(statement, position, text, -1, csqlite_transient())
            case .blob(let bytes): bytes.withUnsafeBytes {
                sqlite3_bind_blob(statement, position, $0.baseAddress, Int32($0.count), csqlite_transient())
            }
            }
            guard status == SQLITE_OK else { throw error(String(sql.prefix(200))) }
        }
    }

    private func value(_ statement: OpaquePointer, _ column: Int32) -> SQLiteValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT: .text(String(cString: sqlite3_column_text(statement, column)))
        case SQLITE_BLOB:
            .blob(Array(UnsafeRawBufferPointer(start: sqlite3_column_blob(statement, column),
                                               count: Int(sqlite3_column_bytes(statement, column)))))
        default: .null
        }
    }

    func error(_ context: String) -> StorageError {
        let code = sqlite3_extended_errcode(handle)
        if code == SQLITE_INTERRUPT, ranOutOfBudget, let principal {
            return StorageError(code: code, message: "the statement ran past its time budget of \(principal.limits.budget.formattedBudget) and was interrupted",
                                context: "cog \(principal.cog): \(context)")
        }
        return StorageError(code: code, message: String(cString: sqlite3_errmsg(handle)), context: context)
    }

    /// The authorizer's view of one action: allowed for the host, decided by the policy for a cog.
    fileprivate func decide(_ action: Int32, _ first: String?, _ second: String?, _ database: String?) -> Int32 {
        guard let principal else { return SQLITE_OK }
        switch CogSQLPolicy(cog: principal.cog).decide(action: action, first, second, database: database, statement: preparing) {
        case .allow:
            return SQLITE_OK
        case .deny(let reason):
            if denial == nil { denial = reason }
            return SQLITE_DENY
        }
    }
}

private let authorize: @convention(c) (
    UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?
) -> Int32 = { context, action, first, second, database, _ in
    guard let context else { return SQLITE_DENY }
    let connection = Unmanaged<SQLiteConnection>.fromOpaque(context).takeUnretainedValue()
    return connection.decide(action, first.map { String(cString: $0) }, second.map { String(cString: $0) },
                             database.map { String(cString: $0) })
}

private let progress: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { context in
    guard let context else { return 0 }
    return Unmanaged<SQLiteConnection>.fromOpaque(context).takeUnretainedValue().shouldInterrupt() ? 1 : 0
}

extension Duration {
    /// `250 ms` or `5 s`, for a budget in an error message.
    var formattedBudget: String {
        let milliseconds = Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000)
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }
}
