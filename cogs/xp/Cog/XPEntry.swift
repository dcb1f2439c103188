import CogKit
import XPCogCore

/// The shipping build of the xp cog: every schema step.
enum Shipping: XPEdition {
    static let version = "3.0.0"
    static let migrations = XPSchema.all
}

@_cdecl("cog_entry")
public func cogEntry() -> UnsafeRawPointer { exportCog(XPCog<Shipping>.self) }
