import CCogABI
internal import CogWire
import Foundation

/// The cog's storage in the host's database: a key–value store in Red-DiscordBot's scopes, and
/// SQL on tables the cog owns (named `<cog>__<name>`, created by ``SchemaMigration``s).
///
/// Reach it as `context.storage` in a handler or `setup.storage` in ``Cog/init(setup:)``.
/// Calls are synchronous and fast (a local SQLite file); reads run concurrently with each other.
///
/// ```swift
/// static let checkinXP = StorageKey("checkin_xp", default: 15)
///
/// Command("checkin", "Earn XP") { _, context in
///     let guild = try context.requireGuild()
///     let amount = try context.storage.get(Self.checkinXP, in: .guild(guild))
///     try context.storage.execute("""
///         INSERT INTO xp__members (guild_id, user_id, xp) VALUES (?, ?, ?)
///         ON CONFLICT (guild_id, user_id) DO UPDATE SET xp = xp + excluded.xp
///         """, [.id(guild), .id(context.user.id), .integer(Int64(amount))])
///     return .message("+\(amount) XP", ephemeral: true)
/// }
/// ```
///
/// Every call throws ``CogStorageError`` with the host's reason when it is refused.
public struct CogStorage: Sendable {
    let host: HostServices?

    // MARK: Key–value

    /// The value of `key` in `scope`, or the key's declared default when nothing is stored.
    public func get<Value>(_ key: StorageKey<Value>, in scope: StorageScope) throws -> Value {
        var location = Self.location(scope)
        let (status, bytes) = try call { api, out in
            key.name.withRawBytes { api.kv_get?(api.host_ctx, &location, $0, $1, out) }
        }
        if status == Int32(COG_ERR_NOT_FOUND.rawValue) { return key.defaultValue }
        try Self.check(status, bytes)
        do {
            return try JSONDecoder().decode(Value.self, from: Data(bytes))
        } catch {
            host?.log(COG_LOG_WARNING, "stored value of '\(key.name)' no longer decodes as \(Value.self); using the default")
            return key.defaultValue
        }
    }

    /// Stores `value` for `key` in `scope` (at most 1 MiB once encoded as JSON).
    public func set<Value>(_ key: StorageKey<Value>, to value: Value, in scope: StorageScope) throws {
        var location = Self.location(scope)
        let encoded = Array(try JSONEncoder().encode(value))
        let (status, bytes) = try call { api, out in
            key.name.withRawBytes { name, length in
                api.kv_set?(api.host_ctx, &location, name, length, encoded, encoded.count, out)
            }
        }
        try Self.check(status, bytes)
    }

    /// Removes what is stored for `key` in `scope`, so it reads as its default again.
    public func reset<Value>(_ key: StorageKey<Value>, in scope: StorageScope) throws {
        var location = Self.location(scope)
        let (status, bytes) = try call { api, out in
            key.name.withRawBytes { api.kv_delete?(api.host_ctx, &location, $0, $1, out) }
        }
        if status != Int32(COG_ERR_NOT_FOUND.rawValue) { try Self.check(status, bytes) }
    }

    /// Entries in `scope` whose key starts with `prefix` (at most 1,000), decoded as `Value`;
    /// entries that do not decode are skipped. A zero id matches every id, as in
    /// ``StorageScope/members(of:)``.
    public func entries<Value: Decodable & Sendable>(
        _ type: Value.Type, in scope: StorageScope, prefix: String = ""
    ) throws -> [StoredEntry<Value>] {
        var location = Self.location(scope)
        let (status, bytes) = try call { api, out in
            prefix.withRawBytes { api.kv_list?(api.host_ctx, &location, $0, $1, out) }
        }
        try Self.check(status, bytes)
        let decoder = JSONDecoder()
        return Self.records(bytes).compactMap { first, second, key, value in
            guard let decoded = try? decoder.decode(Value.self, from: Data(value)) else { return nil }
            return StoredEntry(scope: Self.scope(scope, first: first, second: second), key: key, value: decoded)
        }
    }

    // MARK: SQL

    /// Runs a statement that reads; returns its rows.
    public func query(_ sql: String, _ parameters: [SQLValue] = []) throws -> [SQLRow] {
        try single(sql, parameters).rows
    }

    /// Runs a statement that writes; returns what changed.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [SQLValue] = []) throws -> SQLOutcome {
        let result = try single(sql, parameters)
        return SQLOutcome(changes: result.changes, lastInsertRowID: result.lastInsertRowID)
    }

    /// Runs `statements` in one transaction: all take effect, or none (the first failure is thrown).
    ///
    /// ```swift
    /// try storage.batch([
    ///     SQLStatement("UPDATE polls__votes SET choice = ? WHERE poll_id = ? AND user_id = ?", [2, 7, .id(user)]),
    ///     SQLStatement("UPDATE polls__polls SET updated_at = ? WHERE id = ?", [.integer(now), 7]),
    /// ])
    /// ```
    @discardableResult
    public func batch(_ statements: [SQLStatement]) throws -> [SQLOutcome] {
        let request = SQLRequestDocument.batch(statements.map { SQLStatementDocument($0.sql, $0.parameters.map(\.wire)) })
        guard case .batch(let results) = try send(request) else {
            throw CogStorageError(kind: .database, message: "the host answered a batch with a single result")
        }
        return results.map { SQLOutcome(changes: Int($0.changes), lastInsertRowID: $0.lastInsertRowID) }
    }

    // MARK: Plumbing

    private func single(_ sql: String, _ parameters: [SQLValue]) throws -> (rows: [SQLRow], changes: Int, lastInsertRowID: Int64) {
        guard case .single(let result) = try send(.single(SQLStatementDocument(sql, parameters.map(\.wire)))) else {
            throw CogStorageError(kind: .database, message: "the host answered one statement with a batch")
        }
        let rows = result.rows.map { SQLRow(columns: result.columns, values: $0.map(SQLValue.init(wire:))) }
        return (rows, Int(result.changes), result.lastInsertRowID)
    }

    private func send(_ request: SQLRequestDocument) throws -> SQLAnswerDocument {
        let bytes = request.encoded()
        let (status, answer) = try call { api, out in
            api.sql?(api.host_ctx, bytes, bytes.count, out)
        }
        try Self.check(status, answer)
        do {
            return try SQLAnswerDocument(scanning: answer)
        } catch {
            throw CogStorageError(kind: .database, message: "the host's SQL answer did not read: \(error)")
        }
    }

    /// Makes one call through the host's table; `body` returns `nil` when the entry is missing.
    private func call(
        _ body: (cog_host_api, UnsafeMutablePointer<cog_buffer>) -> Int32?
    ) throws -> (Int32, [UInt8]) {
        guard let host, host.hasStorage else {
            throw CogStorageError(kind: .unavailable, message: "this host offers no storage; run the cog in a Cogwheel host with storage")
        }
        return host.storageCall(body)
    }

    private static func check(_ status: Int32, _ bytes: [UInt8]) throws {
        guard status != Int32(COG_OK.rawValue) else { return }
        let message = String(decoding: bytes, as: UTF8.self)
        let kind: CogStorageError.Kind = switch UInt32(max(status, 0)) {
        case COG_ERR_DENIED.rawValue: .denied
        case COG_ERR_BAD_REQUEST.rawValue: .badRequest
        default: .database
        }
        throw CogStorageError(kind: kind, message: message.isEmpty ? "storage call failed with status \(status)" : message)
    }

    private static func location(_ scope: StorageScope) -> cog_kv_location {
        switch scope {
        case .global: cog_kv_location(scope: Int32(COG_KV_GLOBAL.rawValue), first_id: 0, second_id: 0)
        case .guild(let id): cog_kv_location(scope: Int32(COG_KV_GUILD.rawValue), first_id: id.rawValue, second_id: 0)
        case .channel(let id): cog_kv_location(scope: Int32(COG_KV_CHANNEL.rawValue), first_id: id.rawValue, second_id: 0)
        case .user(let id): cog_kv_location(scope: Int32(COG_KV_USER.rawValue), first_id: id.rawValue, second_id: 0)
        case .member(let guild, let user):
            cog_kv_location(scope: Int32(COG_KV_MEMBER.rawValue), first_id: guild.rawValue, second_id: user.rawValue)
        }
    }

    private static func scope(_ listed: StorageScope, first: UInt64, second: UInt64) -> StorageScope {
        switch listed {
        case .global: .global
        case .guild: .guild(Snowflake(first))
        case .channel: .channel(Snowflake(first))
        case .user: .user(Snowflake(first))
        case .member: .member(guild: Snowflake(first), user: Snowflake(second))
        }
    }

    /// Splits `kv_list` records (see cog_abi.h).
    private static func records(_ bytes: [UInt8]) -> [(UInt64, UInt64, String, [UInt8])] {
        var records: [(UInt64, UInt64, String, [UInt8])] = []
        var offset = 0
        func read<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard offset + MemoryLayout<T>.size <= bytes.count else { return nil }
            defer { offset += MemoryLayout<T>.size }
            return bytes[offset..<offset + MemoryLayout<T>.size].reversed().reduce(T(0)) { $0 << 8 | T($1) }
        }
        func take(_ count: Int) -> [UInt8]? {
            guard offset + count <= bytes.count else { return nil }
            defer { offset += count }
            return Array(bytes[offset..<offset + count])
        }
        while let first = read(UInt64.self), let second = read(UInt64.self), let keyLength = read(UInt32.self),
              let key = take(Int(keyLength)), let valueLength = read(UInt32.self), let value = take(Int(valueLength)) {
            records.append((first, second, String(decoding: key, as: UTF8.self), value))
        }
        return records
    }
}

extension String {
    /// Calls `body` with the string's UTF-8 bytes as C characters and their count.
    fileprivate func withRawBytes<T>(_ body: (UnsafePointer<CChar>?, Int) -> T) -> T {
        var copy = self
        return copy.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { body($0.baseAddress, $0.count) }
        }
    }
}
