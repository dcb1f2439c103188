/// One cog's storage: its key–value entries and its own SQL tables, nothing else.
///
/// Key–value entries live in the host table `host_cog_kv`, keyed by cog, scope and key, so a
/// cog can only ever address its own. SQL runs under ``CogSQLPolicy`` and the cog's
/// ``CogSQLBudgets``: prepared statements with bound parameters, reads on the reader pool,
/// writes on the writer.
///
/// ```swift
/// let store = CogStore(cog: "xp", database: database)
/// try store.setValue(Array("25".utf8), for: "checkin_xp", at: .guild(100))
/// let raw = try store.value(for: "checkin_xp", at: .guild(100))      // "25"
/// let top = try store.run("SELECT user_id, xp FROM xp__members WHERE guild_id = ? ORDER BY xp DESC LIMIT 10", [.integer(100)])
/// ```
public struct CogStore: Sendable {
    public let cog: String
    public let database: SQLiteDatabase
    /// How long each of the cog's statements may run.
    public let budgets: CogSQLBudgets

    /// The largest value one key may hold.
    public static let maxValueBytes = 1 << 20
    /// The longest key, in UTF-8 bytes.
    public static let maxKeyBytes = 256

    public init(cog: String, database: SQLiteDatabase, budgets: CogSQLBudgets = CogSQLBudgets()) {
        self.cog = cog
        self.database = database
        self.budgets = budgets
    }

    private var principal: CogPrincipal { CogPrincipal(cog: cog, limits: budgets.limits) }

    // MARK: Key–value

    /// The value stored under `key` at `location`, or `nil`.
    public func value(for key: String, at location: KeyValueLocation) throws -> [UInt8]? {
        try check(key: key, location: location, wildcardAllowed: false)
        let rows = try database.read {
            try $0.query("""
                SELECT value FROM host_cog_kv WHERE cog = ? AND scope = ? AND first_id = ? AND second_id = ? AND key = ?
                """, keyParameters(key, location))
        }
        guard case .blob(let bytes)? = rows.first?.values.first else { return nil }
        return bytes
    }

    /// Stores `value` under `key` at `location`, replacing what was there.
    public func setValue(_ value: [UInt8], for key: String, at location: KeyValueLocation) throws {
        try check(key: key, location: location, wildcardAllowed: false)
        guard value.count <= Self.maxValueBytes else {
            throw StorageError(code: -1, message: "a value may hold at most \(Self.maxValueBytes) bytes (got \(value.count))",
                               context: "cog \(cog): storing '\(key)'")
        }
        try database.execute("""
            INSERT INTO host_cog_kv (cog, scope, first_id, second_id, key, value) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (cog, scope, first_id, second_id, key) DO UPDATE SET value = excluded.value
            """, keyParameters(key, location) + [.blob(value)])
    }

    /// Removes `key` at `location`; returns whether it existed.
    @discardableResult
    public func removeValue(for key: String, at location: KeyValueLocation) throws -> Bool {
        try check(key: key, location: location, wildcardAllowed: false)
        return try database.execute("""
            DELETE FROM host_cog_kv WHERE cog = ? AND scope = ? AND first_id = ? AND second_id = ? AND key = ?
            """, keyParameters(key, location)) > 0
    }

    /// Entries at `location` whose key starts with `prefix`, ordered by ids then key. An id of
    /// 0 in `location` matches every id (all members of a guild: `.member(guild: g, user: 0)`).
    public func entries(at location: KeyValueLocation, prefix: String = "", limit: Int = 1_000) throws -> [KeyValueEntry] {
        try check(key: prefix, location: location, wildcardAllowed: true)
        var conditions = ["cog = ?", "scope = ?", "key >= ?", "key < ?"]
        var parameters: [SQLiteValue] = [.text(cog), .integer(Int64(location.scope.rawValue)), .text(prefix),
                                         .text(prefix + "\u{10FFFF}")]
        for (column, id) in [("first_id", location.first), ("second_id", location.second)] where id != 0 {
            conditions.append("\(column) = ?")
            parameters.append(.integer(Int64(bitPattern: id)))
        }
        let rows = try database.read {
            try $0.query("""
                SELECT first_id, second_id, key, value FROM host_cog_kv WHERE \(conditions.joined(separator: " AND "))
                ORDER BY first_id, second_id, key LIMIT \(max(0, limit))
                """, parameters)
        }
        return rows.map { row in
            let first = UInt64(bitPattern: row.values[0].integer ?? 0)
            let second = UInt64(bitPattern: row.values[1].integer ?? 0)
            let value: [UInt8] = if case .blob(let bytes) = row.values[3] { bytes } else { [] }
            return KeyValueEntry(location: KeyValueLocation(scope: location.scope, first: first, second: second),
                                 key: row.values[2].text ?? "", value: value)
        }
    }

    // MARK: SQL

    /// Runs one statement of the cog's own SQL: on a reader when it only reads, else on the writer.
    ///
    /// - Throws: ``StorageError`` with code `SQLITE_AUTH` and the reason when the statement
    ///   touches something the cog does not own, `SQLITE_INTERRUPT` when it ran past its
    ///   budget, `SQLITE_TOOBIG` when its result passed the caps, or SQLite's error.
    public func run(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> SQLResult {
        let principal = principal
        if let rows = try database.read(as: principal, { try $0.queryIfReadOnly(sql, parameters) }) {
            return SQLResult(rows: rows, changes: 0, lastInsertRowID: 0)
        }
        return try database.write(as: principal) { scope in
            let rows = try scope.query(sql, parameters)
            return SQLResult(rows: rows, changes: scope.changes, lastInsertRowID: scope.lastInsertRowID)
        }
    }

    /// Runs `statements` in order in one transaction: all of them take effect, or none. The
    /// whole batch shares one time budget, since it holds the writer throughout.
    public func runBatch(_ statements: [SQLStatement]) throws -> [SQLResult] {
        guard statements.count <= CogSQLLimits.maxBatchStatements else {
            throw StorageError(code: -1, message: "a batch may hold at most \(CogSQLLimits.maxBatchStatements) statements (got \(statements.count))",
                               context: "cog \(cog): batch")
        }
        let limits = budgets.limits
        let end = ContinuousClock.now + limits.budget
        return try database.transaction(as: principal) { scope in
            try statements.enumerated().map { index, statement in
                do {
                    var remaining = limits
                    remaining.budget = max(.milliseconds(1), end - ContinuousClock.now)
                    let rows = try scope.authorized(as: CogPrincipal(cog: cog, limits: remaining)) {
                        try $0.query(statement.sql, statement.parameters)
                    }
                    return SQLResult(rows: rows, changes: scope.changes, lastInsertRowID: scope.lastInsertRowID)
                } catch let error as StorageError {
                    throw StorageError(code: error.code, message: error.message,
                                       context: "batch statement \(index + 1) of \(statements.count): \(error.context)")
                }
            }
        }
    }

    // MARK: Checks

    private func keyParameters(_ key: String, _ location: KeyValueLocation) -> [SQLiteValue] {
        [.text(cog), .integer(Int64(location.scope.rawValue)), .integer(Int64(bitPattern: location.first)),
         .integer(Int64(bitPattern: location.second)), .text(key)]
    }

    private func check(key: String, location: KeyValueLocation, wildcardAllowed: Bool) throws {
        let context = "cog \(cog): key '\(key.prefix(64))'"
        guard key.utf8.count <= Self.maxKeyBytes else {
            throw StorageError(code: -1, message: "a key may be at most \(Self.maxKeyBytes) bytes", context: context)
        }
        if let problem = location.problem(wildcardAllowed: wildcardAllowed) {
            throw StorageError(code: -1, message: problem, context: context)
        }
    }
}

/// One statement of a batch.
public struct SQLStatement: Sendable, Equatable {
    public let sql: String
    public let parameters: [SQLiteValue]

    public init(_ sql: String, _ parameters: [SQLiteValue] = []) {
        self.sql = sql
        self.parameters = parameters
    }
}

/// What one statement returned.
public struct SQLResult: Sendable, Equatable {
    public let rows: [SQLiteRow]
    /// Rows inserted, updated or deleted (0 for reads).
    public let changes: Int
    /// The rowid of the last insert on the connection.
    public let lastInsertRowID: Int64
}
