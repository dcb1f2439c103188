import CSQLite
import Foundation
import Synchronization

/// The host's SQLite database: one file, opened with the settings a long-running bot needs.
///
/// Why the SQLite C API rather than GRDB: the host needs exactly the parts of SQLite that sit
/// below an ORM — an authorizer per cog, the online backup API stepped a few pages at a time,
/// page and WAL statistics — and cogs never see Swift types from it, only bytes through the
/// C ABI. A thin wrapper keeps all of that in view and adds no build time.
///
/// ```swift
/// let database = try SQLiteDatabase(file: dataDirectory.appendingPathComponent("cogwheel.sqlite3"))
/// try database.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT)")
/// try database.execute("INSERT INTO notes (text) VALUES (?)", ["hello"])
/// let rows = try database.query("SELECT text FROM notes")
/// ```
///
/// One connection, used by one caller at a time (a lock serialises them): WAL mode lets a
/// backup or another process read while the host writes.
public final class SQLiteDatabase: Sendable {
    public let file: URL
    private let connection: Mutex<Connection>

    /// A raw SQLite handle, owned by the lock.
    private struct Connection: @unchecked Sendable {
        // @unchecked: the handle is only touched while the Mutex is held.
        let handle: OpaquePointer
    }

    /// Opens (creating with mode 0600 if needed) and configures the database.
    ///
    /// - Throws: ``StorageError`` naming the file when it cannot be opened or configured.
    public init(file: URL, cacheKiB: Int = 16 * 1024, mmapBytes: Int = 256 << 20) throws {
        self.file = file
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: file.path) {
            let descriptor = open(file.path, O_CREAT | O_WRONLY, 0o600)
            guard descriptor >= 0 else {
                throw StorageError(code: -1, message: String(cString: strerror(errno)), context: "creating \(file.path)")
            }
            close(descriptor)
        }
        var handle: OpaquePointer?
        let status = sqlite3_open_v2(file.path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            throw StorageError(code: status, message: message, context: "opening \(file.path)")
        }
        connection = Mutex(Connection(handle: handle))
        sqlite3_busy_timeout(handle, 5_000)
        for pragma in [
            "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA temp_store = MEMORY",
            "PRAGMA foreign_keys = ON", "PRAGMA cache_size = -\(cacheKiB)", "PRAGMA mmap_size = \(mmapBytes)",
        ] {
            _ = try query(pragma)
        }
    }

    deinit {
        connection.withLock { sqlite3_close_v2($0.handle) }
    }

    /// Runs one statement with bound parameters; returns the number of rows changed.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> Int {
        try connection.withLock { try TransactionScope(handle: $0.handle).execute(sql, parameters) }
    }

    /// Runs one statement with bound parameters and returns its rows.
    public func query(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> [SQLiteRow] {
        try connection.withLock { try TransactionScope(handle: $0.handle).query(sql, parameters) }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: (TransactionScope) throws -> T) throws -> T {
        try connection.withLock { connection in
            let scope = TransactionScope(handle: connection.handle)
            try scope.execute("BEGIN IMMEDIATE")
            do {
                let result = try body(scope)
                try scope.execute("COMMIT")
                return result
            } catch {
                _ = try? scope.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Statements on the connection while its lock is held (inside ``SQLiteDatabase/transaction(_:)``).
    public struct TransactionScope {
        fileprivate let handle: OpaquePointer

        @discardableResult
        public func execute(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> Int {
            try SQLiteDatabase.run(sql, parameters, on: handle) { _ in }
            return Int(sqlite3_changes(handle))
        }

        public func query(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> [SQLiteRow] {
            var rows: [SQLiteRow] = []
            try SQLiteDatabase.run(sql, parameters, on: handle) { rows.append($0) }
            return rows
        }
    }

    /// Copies the live database into `destination` with SQLite's online backup API,
    /// `pagesPerStep` pages at a time. The connection's lock is released between steps, so
    /// commands keep being served while a large database is copied.
    public func onlineBackup(to destination: URL, pagesPerStep: Int32 = 256) throws {
        var target: OpaquePointer?
        guard sqlite3_open_v2(destination.path, &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK,
              let target else {
            sqlite3_close(target)
            throw StorageError(code: -1, message: "cannot create \(destination.path)", context: "backup")
        }
        defer { sqlite3_close(target) }
        let backup = try connection.withLock { connection -> Connection in
            guard let backup = sqlite3_backup_init(target, "main", connection.handle, "main") else {
                throw Self.error(target, "backup")
            }
            return Connection(handle: backup)
        }.handle
        var status = SQLITE_OK
        repeat {
            status = connection.withLock { _ in sqlite3_backup_step(backup, pagesPerStep) }
            if status == SQLITE_BUSY || status == SQLITE_LOCKED { usleep(1_000) }
        } while status == SQLITE_OK || status == SQLITE_BUSY || status == SQLITE_LOCKED
        sqlite3_backup_finish(backup)
        guard status == SQLITE_DONE else { throw Self.error(target, "backup step") }
    }

    fileprivate static func run(
        _ sql: String, _ parameters: [SQLiteValue], on handle: OpaquePointer, row: (SQLiteRow) -> Void
    ) throws {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw error(handle, sql)
        }
        defer { sqlite3_finalize(statement) }
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
            guard status == SQLITE_OK else { throw error(handle, sql) }
        }
        let columnCount = sqlite3_column_count(statement)
        let columns = (0..<columnCount).map { String(cString: sqlite3_column_name(statement, $0)) }
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_ROW:
                row(SQLiteRow(columns: columns, values: (0..<columnCount).map { value(statement, $0) }))
            case SQLITE_DONE:
                return
            default:
                throw error(handle, sql)
            }
        }
    }

    private static func value(_ statement: OpaquePointer, _ column: Int32) -> SQLiteValue {
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

    private static func error(_ handle: OpaquePointer, _ sql: String) -> StorageError {
        StorageError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)),
                     context: String(sql.prefix(200)))
    }
}
