import CogKit
import XPCogCore

/// The first release of xp: members and XP, no streaks (schema version 1).
enum FirstRelease: XPEdition {
    static let version = "1.0.0"
    static let migrations = [XPSchema.members]
}

@_cdecl("cog_entry")
public func cogEntry() -> UnsafeRawPointer { exportCog(XPCog<FirstRelease>.self) }
