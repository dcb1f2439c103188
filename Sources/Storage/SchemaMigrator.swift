import Foundation

/// One step of a schema: a version and the statements that bring the previous one to it.
public struct Migration: Sendable {
    public let version: Int
    public let summary: String
    public let statements: [String]

    public init(version: Int, _ summary: String, _ statements: [String]) {
        self.version = version
        self.summary = summary
        self.statements = statements
    }
}

/// Applies an owner's migrations (the host's, or one cog's) in order, all in one transaction,
/// and records the owner's schema version in `cogwheel_schema`.
///
/// ```swift
/// let applied = try SchemaMigrator(owner: "host", migrations: HostSchema.migrations).migrate(database)
/// ```
public struct SchemaMigrator: Sendable {
    public let owner: String
    public let migrations: [Migration]
    /// The cog whose migrations these are: they run under its SQL authorizer (``CogSQLPolicy``).
    public let principal: CogPrincipal?

    /// The version the owner's tables reach: the newest migration's, or a declared version
    /// above it (a cog whose schema changed without needing SQL).
    public let latestVersion: Int

    public init(owner: String, migrations: [Migration], version: Int? = nil, authorizedAs principal: CogPrincipal? = nil) {
        self.owner = owner
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.principal = principal
        self.latestVersion = max(version ?? 0, self.migrations.last?.version ?? 0)
    }

    /// The migrator of cog `cog`'s tables: owner `cog:<name>`, statements authorised as the cog.
    public static func forCog(_ cog: String, schemaVersion: Int, migrations: [Migration]) -> SchemaMigrator {
        SchemaMigrator(owner: "cog:\(cog)", migrations: migrations, version: schemaVersion,
                       authorizedAs: CogPrincipal(cog: cog, limits: .migration))
    }

    /// The migrations newer than the recorded version.
    public func pending(in database: SQLiteDatabase) throws -> [Migration] {
        pending(after: try recordedVersion(in: database))
    }

    private func pending(after recorded: Int) -> [Migration] {
        migrations.filter { $0.version > recorded }
    }

    /// The version recorded in `database`, 0 when the owner has none yet.
    public func recordedVersion(in database: SQLiteDatabase) throws -> Int {
        try Self.createSchemaTable(database)
        let rows = try database.query("SELECT version FROM cogwheel_schema WHERE owner = ?", [.text(owner)])
        return Int(rows.first?["version"].integer ?? 0)
    }

    /// Applies the pending migrations; returns them. A failure rolls all of them back.
    ///
    /// - Throws: ``StorageError`` naming the owner and the migration when one fails, or when the
    ///   database is at a newer version than these migrations know (a downgrade).
    @discardableResult
    public func migrate(_ database: SQLiteDatabase) throws -> [Migration] {
        let recorded = try recordedVersion(in: database)
        guard recorded <= latestVersion else {
            throw StorageError(code: -1, message: "the database is at schema version \(recorded), newer than this build's \(latestVersion); restore a backup or run the newer build",
                               context: "\(owner): refusing to downgrade")
        }
        let pending = pending(after: recorded)
        guard recorded < latestVersion else { return [] }
        try database.transaction { scope in
            try scope.authorized(as: principal) { scope in
                for migration in pending {
                    for statement in migration.statements {
                        do {
                            try scope.executeScript(statement)
                        } catch let error as StorageError {
                            throw StorageError(code: error.code, message: error.message,
                                               context: "\(owner) migration \(migration.version) (\(migration.summary))")
                        }
                    }
                }
            }
            try Self.record(owner: owner, version: latestVersion, in: scope)
        }
        return pending
    }

    /// Records that `owner`'s tables are at `version`, for owners whose tables take shape
    /// outside a migration list (a cog's declared schema version).
    public func record(version: Int, in database: SQLiteDatabase) throws {
        try Self.createSchemaTable(database)
        try database.transaction { try Self.record(owner: owner, version: version, in: $0) }
    }

    private static func record(owner: String, version: Int, in scope: SQLiteDatabase.Scope) throws {
        try scope.execute("""
            INSERT INTO cogwheel_schema (owner, version, updated_at) VALUES (?, ?, ?)
            ON CONFLICT(owner) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at
            """, [.text(owner), .integer(Int64(version)), .text(ISO8601DateFormatter().string(from: Date()))])
    }

    private static func createSchemaTable(_ database: SQLiteDatabase) throws {
        try database.execute("""
            CREATE TABLE IF NOT EXISTS cogwheel_schema (
                owner TEXT PRIMARY KEY, version INTEGER NOT NULL, updated_at TEXT NOT NULL
            ) STRICT
            """)
    }
}
