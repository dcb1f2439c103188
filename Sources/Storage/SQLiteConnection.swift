import CSQLite
import Foundation

/// One SQLite connection with the host's settings and the cog authorizer installed.
///
/// Not thread-safe: ``SQLiteDatabase`` hands a connection to one caller at a time. While a
/// cog's statement is prepared, ``principal`` names the cog and ``CogSQLPolicy`` decides every
/// table, pragma and function it touches; the host's own statements run with no principal.
final class SQLiteConnection: @unchecked Sendable {
    // @unchecked: only used by the one caller that holds it (see SQLiteDatabase).
    let handle: OpaquePointer
    /// The cog whose SQL is being prepared, or `nil` for the host.
    private(set) var principal: String?
    /// Whether the statement being prepared is DDL, which reads and writes the schema table.
    private var preparingDDL = false
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
        var pragmas = [
            "PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -\(cacheKiB)", "PRAGMA mmap_size = \(mmapBytes)",
        ]
        if !readOnly {
            pragmas = ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"] + pragmas
        }
        for pragma in pragmas { try run(pragma) { _ in } }
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs `body` with statements authorised as cog `principal` (or as the host when `nil`).
    func authorized<T>(as principal: String?, _ body: () throws -> T) rethrows -> T {
        let previous = self.principal
        self.principal = principal
        defer { self.principal = previous }
        return try body()
    }

    /// Runs every statement of `sql` in order, without parameters (a migration script).
    func runScript(_ sql: String) throws(StorageError) {
        var remaining = Substring(sql)
        while let statement = try prepare(&remaining) {
            defer { sqlite3_finalize(statement) }
            while true {
                let status = sqlite3_step(statement)
                if status == SQLITE_DONE { break }
                if status != SQLITE_ROW { throw error(String(sql.prefix(200))) }
            }
        }
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
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_ROW:
                row(SQLiteRow(columns: columns, values: (0..<columnCount).map { value(statement, $0) }))
            case SQLITE_DONE:
                return true
            default:
                throw error(String(sql.prefix(200)))
            }
        }
    }

    /// Rows changed by the last statement, and the last inserted rowid.
    var changes: Int { Int(sqlite3_changes(handle)) }
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Prepares the next statement of `remaining`, advancing it; `nil` when only whitespace or comments remain.
    private func prepare(_ remaining: inout Substring) throws(StorageError) -> OpaquePointer? {
        while true {
            let text = String(remaining)
            guard !text.allSatisfy(\.isWhitespace) else { return nil }
            var statement: OpaquePointer?
            var tailOffset = 0
            preparingDDL = CogSQLPolicy.isDDL(text)
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
                    throw StorageError(code: SQLITE_AUTH, message: denial, context: "cog \(principal): \(text.prefix(200))")
                }
                throw error(String(text.prefix(200)))
            }
            if let statement { return statement }
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
        StorageError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)), context: context)
    }

    /// The authorizer's view of one action: allowed for the host, decided by the policy for a cog.
    fileprivate func decide(_ action: Int32, _ first: String?, _ second: String?, _ database: String?) -> Int32 {
        guard let principal else { return SQLITE_OK }
        switch CogSQLPolicy(cog: principal).decide(action: action, first, second, database: database, ddl: preparingDDL) {
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
