import CCogABI
import Storage

/// A cog library mapped into the process, handshaken and validated, not yet initialised.
///
/// Images are never unmapped (see DESIGN.md, "Loading cogs"), so the descriptor pointer stays
/// valid for the life of the process.
public struct CogImage: @unchecked Sendable {
    // @unchecked: the descriptor is immutable static data inside a never-unloaded image.
    let descriptor: UnsafePointer<cog_descriptor>
    /// The cog's declared name.
    public let name: String
    /// The cog's declared version string.
    public let version: String
    /// The cog's database schema version.
    public let schemaVersion: UInt32
    /// The steps that build the cog's tables up to ``schemaVersion``, in order.
    public let migrations: [Migration]
    /// The content-addressed copy that was loaded.
    public let loadedPath: String
    /// SHA-256 of the library, hex.
    public let contentHash: String
    /// The validated manifest.
    public let manifest: CogManifest
}
