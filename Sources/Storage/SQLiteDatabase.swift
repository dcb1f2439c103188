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
/// let rows = try database.read { try $0.query("SELECT text FROM notes") }
/// ```
///
/// One writer connection, used by one caller at a time (a lock serialises them), and a pool of
/// read-only connections that WAL mode lets read concurrently with the writer and each other.
public final class SQLiteDatabase: Sendable {
    public let file: URL
    private let writer: Mutex<SQLiteConnection>
    private let idleReaders = Mutex<[SQLiteConnection]>([])
    /// A second read-write connection for ``checkpoint()``, so a checkpoint never holds the writer.
    private let checkpointer: Mutex<SQLiteConnection>
    private let cacheKiB: Int
    private let mmapBytes: Int

    /// Opens (creating with mode 0600 if needed) and configures the database.
    ///
    /// - Parameter backgroundCheckpoints: Commits never checkpoint the WAL themselves; the owner
    ///   calls ``checkpoint()`` off the command path instead. A checkpoint fsyncs the database
    ///   file, and a commit that triggers one waits for that fsync, which takes hundreds of
    ///   milliseconds while the disk is busy (during a backup, for instance). With the default
    ///   (`false`), SQLite checkpoints after commits as usual.
    /// - Throws: ``StorageError`` naming the file when it cannot be opened or configured.
    public init(
        file: URL, cacheKiB: Int = 16 * 1024, mmapBytes: Int = 256 << 20, backgroundCheckpoints: Bool = false
    ) throws {
        self.file = file
        self.cacheKiB = cacheKiB
        self.mmapBytes = mmapBytes
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: file.path) {
            let descriptor = open(file.path, O_CREAT | O_WRONLY, 0o600)
            guard descriptor >= 0 else {
                throw StorageError(code: -1, message: String(cString: strerror(errno)), context: "creating \(file.path)")
            }
            close(descriptor)
        }
        let writer = try SQLiteConnection(file: file, readOnly: false, cacheKiB: cacheKiB, mmapBytes: mmapBytes)
        if backgroundCheckpoints { try writer.run("PRAGMA wal_autocheckpoint = 0") { _ in } }
        self.writer = Mutex(writer)
        checkpointer = Mutex(try SQLiteConnection(file: file, readOnly: false, cacheKiB: 1024, mmapBytes: 0))
    }

    /// Copies committed WAL frames into the database file without waiting for the writer or
    /// readers (a passive checkpoint), on a connection of its own so commits go on meanwhile.
    /// Returns the number of frames in the WAL and how many are now in the database file.
    ///
    /// With ``init(file:cacheKiB:mmapBytes:backgroundCheckpoints:)``'s `backgroundCheckpoints`,
    /// the owner calls this regularly, from a thread that may block for the fsync.
    @discardableResult
    public func checkpoint() throws -> (walFrames: Int64, checkpointed: Int64) {
        let rows = try checkpointer.withLock { connection in
            var rows: [SQLiteRow] = []
            try connection.run("PRAGMA wal_checkpoint(PASSIVE)") { rows.append($0) }
            return rows
        }
        let values = rows.first?.values ?? []
        return (values.count > 1 ? values[1].integer ?? 0 : 0, values.count > 2 ? values[2].integer ?? 0 : 0)
    }

    /// The WAL's size on disk, in bytes (0 when there is none).
    public var walBytes: Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: file.path + "-wal"))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Runs one statement with bound parameters on the writer; returns the number of rows changed.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> Int {
        try write { try $0.execute(sql, parameters) }
    }

    /// Runs one statement with bound parameters on the writer and returns its rows (pragmas,
    /// reads that must see the writer's latest state).
    public func query(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> [SQLiteRow] {
        try write { try $0.query(sql, parameters) }
    }

    /// Runs `body` on the writer connection without opening a transaction (each statement
    /// commits by itself).
    public func write<T: Sendable>(as principal: CogPrincipal? = nil, _ body: (Scope) throws -> T) throws -> T {
        try writer.withLock { connection in
            try connection.authorized(as: principal) { try body(Scope(connection: connection)) }
        }
    }

    /// Runs `body` in one transaction on the writer: committed when it returns, rolled back
    /// when it throws.
    ///
    /// - Parameter principal: The cog whose statements these are (the authorizer and its limits
    ///   apply), or `nil` for the host.
    public func transaction<T: Sendable>(as principal: CogPrincipal? = nil, _ body: (Scope) throws -> T) throws -> T {
        try write { scope in
            try scope.connection.run("BEGIN IMMEDIATE") { _ in }
            do {
                let result = try scope.authorized(as: principal, body)
                try scope.connection.run("COMMIT") { _ in }
                return result
            } catch {
                _ = try? scope.connection.run("ROLLBACK") { _ in }
                throw error
            }
        }
    }

    /// Runs `body` on a read-only connection from the pool, concurrently with the writer and
    /// other readers. It sees the last committed state.
    public func read<T>(as principal: CogPrincipal? = nil, _ body: (Scope) throws -> T) throws -> T {
        let connection = try idleReaders.withLock { $0.popLast() }
            ?? SQLiteConnection(file: file, readOnly: true, cacheKiB: cacheKiB / 4, mmapBytes: mmapBytes)
        defer { idleReaders.withLock { $0.append(connection) } }
        return try connection.authorized(as: principal) { try body(Scope(connection: connection)) }
    }

    /// Statements on one connection while its caller holds it.
    public struct Scope {
        fileprivate let connection: SQLiteConnection

        /// Runs one statement; returns the number of rows changed.
        @discardableResult
        public func execute(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> Int {
            try connection.run(sql, parameters) { _ in }
            return connection.changes
        }

        /// Runs one statement and returns its rows.
        public func query(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> [SQLiteRow] {
            var rows: [SQLiteRow] = []
            try connection.run(sql, parameters) { rows.append($0) }
            return rows
        }

        /// Runs every statement of `sql`, without parameters (a migration script).
        public func executeScript(_ sql: String) throws {
            try connection.runScript(sql)
        }

        /// Runs `body` with statements authorised and limited as cog `principal` (the host when `nil`).
        public func authorized<T>(as principal: CogPrincipal?, _ body: (Scope) throws -> T) rethrows -> T {
            try connection.authorized(as: principal) { try body(self) }
        }

        /// Runs one statement and returns its rows, or `nil` without running it when it would write.
        public func queryIfReadOnly(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> [SQLiteRow]? {
            var rows: [SQLiteRow] = []
            return try connection.run(sql, parameters, onlyIfReadOnly: true) { rows.append($0) } ? rows : nil
        }

        /// Rows changed by the last statement.
        public var changes: Int { connection.changes }

        /// The rowid of the last row inserted on this connection.
        public var lastInsertRowID: Int64 { connection.lastInsertRowID }
    }

    /// Rebuilds the file without its free pages when at least `minimumFreeFraction` of it is
    /// free: after big deletions. It holds the writer for the whole rebuild, so the host runs it
    /// only when nobody is playing. Returns the bytes reclaimed (0 when it was not worth it).
    @discardableResult
    public func vacuumIfFragmented(minimumFreeFraction: Double = 0.25) throws -> Int64 {
        let pages = try query("PRAGMA page_count").first?.values.first?.integer ?? 0
        let free = try query("PRAGMA freelist_count").first?.values.first?.integer ?? 0
        let pageSize = try query("PRAGMA page_size").first?.values.first?.integer ?? 4096
        guard pages > 0, Double(free) / Double(pages) >= minimumFreeFraction else { return 0 }
        try execute("VACUUM")
        _ = try query("PRAGMA wal_checkpoint(TRUNCATE)")
        let after = try query("PRAGMA page_count").first?.values.first?.integer ?? pages
        return (pages - after) * pageSize
    }

    /// Copies the live database into `destination` with SQLite's online backup API,
    /// `pagesPerStep` pages at a time. The writer is the source, so writes made between steps
    /// reach the copy without restarting it; the writer's lock is released between steps, so
    /// commands keep being served while a large database is copied.
    public func onlineBackup(to destination: URL, pagesPerStep: Int32 = 256) throws {
        var target: OpaquePointer?
        guard sqlite3_open_v2(destination.path, &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK,
              let target else {
            sqlite3_close(target)
            throw StorageError(code: -1, message: "cannot create \(destination.path)", context: "backup")
        }
        defer { sqlite3_close(target) }
        // The copy needs no journal and no fsync: it is checked and then written out (and
        // synced) compressed. A synced commit of a large copy here would hold the writer for
        // as long as the disk takes to flush it.
        sqlite3_exec(target, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", nil, nil, nil)
        let backup = try writer.withLock { connection -> BackupHandle in
            guard let backup = sqlite3_backup_init(target, "main", connection.handle, "main") else {
                throw StorageError(code: sqlite3_extended_errcode(target), message: String(cString: sqlite3_errmsg(target)),
                                   context: "backup")
            }
            return BackupHandle(pointer: backup)
        }.pointer
        var status = SQLITE_OK
        repeat {
            status = writer.withLock { _ in sqlite3_backup_step(backup, pagesPerStep) }
            if status == SQLITE_BUSY || status == SQLITE_LOCKED { usleep(1_000) }
        } while status == SQLITE_OK || status == SQLITE_BUSY || status == SQLITE_LOCKED
        sqlite3_backup_finish(backup)
        guard status == SQLITE_DONE else {
            throw StorageError(code: status, message: String(cString: sqlite3_errstr(status)), context: "backup step")
        }
    }

    /// An `sqlite3_backup` handle carried out of the writer's lock.
    private struct BackupHandle: @unchecked Sendable {
        // @unchecked: each step uses it under the writer's lock.
        let pointer: OpaquePointer
    }
}
