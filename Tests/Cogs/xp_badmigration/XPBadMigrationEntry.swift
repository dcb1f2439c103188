import CogKit
import XPCogCore

/// A build of xp whose second migration fails half-way: it adds a column, then adds it again.
enum BrokenRelease: XPEdition {
    static let version = "2.0.0-broken"
    static let migrations = [
        XPSchema.members,
        SchemaMigration(2, "streaks, twice", sql: """
            ALTER TABLE xp__members ADD COLUMN streak INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE xp__members ADD COLUMN streak INTEGER NOT NULL DEFAULT 0;
            """),
    ]
}

@_cdecl("cog_entry")
public func cogEntry() -> UnsafeRawPointer { exportCog(XPCog<BrokenRelease>.self) }
