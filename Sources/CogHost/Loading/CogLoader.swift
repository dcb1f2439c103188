import CCogABI
import Crypto
import Foundation
import Storage

/// Maps cog libraries into the process following the rules measured in DESIGN.md: every
/// build is copied to a unique content-addressed path (temporary file, then `rename`) and
/// opened with `RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE`; nothing is ever `dlclose`d.
public struct CogLoader: Sendable {
    /// Where content-addressed copies live.
    public let imagesDirectory: URL

    public init(imagesDirectory: URL) {
        self.imagesDirectory = imagesDirectory
    }

    /// Copies, maps, handshakes and validates the library at `path` as cog `name`.
    public func prepare(cog name: String, libraryAt path: URL) throws(CogLoadError) -> CogImage {
        guard CogName.isValid(name) else { throw .invalidName(name) }
        let contents: Data
        do {
            contents = try Data(contentsOf: path)
        } catch {
            throw .libraryNotFound(cog: name, path: path.path)
        }
        let hash = SHA256.hash(data: contents).map { String(format: "%02x", $0) }.joined()
        let loadedPath = try installCopy(contents, cog: name, hash: hash)

        guard let handle = dlopen(loadedPath.path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) else {
            throw .dlopenFailed(cog: name, reason: dlerror().map { String(cString: $0) } ?? "unknown error")
        }
        guard let symbol = dlsym(handle, COG_ENTRY_SYMBOL) else {
            throw .missingEntrySymbol(cog: name, path: path.path)
        }
        let entry = unsafeBitCast(symbol, to: cog_entry_fn.self)
        guard let descriptor = entry() else {
            throw .missingEntrySymbol(cog: name, path: path.path)
        }
        try Self.handshake(descriptor, expectedName: name, fileName: path.lastPathComponent)

        let manifestBytes = Array(UnsafeBufferPointer(start: descriptor.pointee.manifest_json,
                                                      count: descriptor.pointee.manifest_length))
        let manifest: CogManifest
        do {
            manifest = try CogManifest.decode(manifestBytes)
            try ManifestValidator.validate(manifest)
        } catch {
            throw .invalidManifest(cog: name, problem: error)
        }
        return CogImage(
            descriptor: descriptor,
            name: name,
            version: String(cString: descriptor.pointee.version),
            schemaVersion: descriptor.pointee.schema_version,
            migrations: try Self.migrations(of: descriptor, cog: name),
            loadedPath: loadedPath.path,
            contentHash: hash,
            manifest: manifest
        )
    }

    /// Checks ABI version, struct size, toolchain and name before anything else is read.
    static func handshake(
        _ descriptor: UnsafePointer<cog_descriptor>, expectedName: String, fileName: String
    ) throws(CogLoadError) {
        // abi_version and struct_size are the first two fields in every ABI version.
        let abiVersion = descriptor.pointee.abi_version
        guard abiVersion == COG_ABI_VERSION else {
            throw .abiMismatch(cog: expectedName, found: abiVersion, supported: COG_ABI_VERSION)
        }
        let required = UInt32(MemoryLayout<cog_descriptor>.offset(of: \.migrations)!)
        guard descriptor.pointee.struct_size >= required else {
            throw .structTooSmall(cog: expectedName, found: descriptor.pointee.struct_size, required: required)
        }
        let compiler = descriptor.pointee.compiler_version.map { String(cString: $0) } ?? ""
        if !compiler.hasPrefix(COG_COMPILER_C_PREFIX), compiler != ToolchainIdentity.host {
            throw .compilerMismatch(cog: expectedName, cogCompiler: compiler, hostCompiler: ToolchainIdentity.host)
        }
        let declared = descriptor.pointee.name.map { String(cString: $0) } ?? ""
        guard declared == expectedName else {
            throw .nameMismatch(file: fileName, declared: declared)
        }
        guard descriptor.pointee.`init` != nil, descriptor.pointee.handle != nil,
              descriptor.pointee.shutdown != nil, descriptor.pointee.free_buffer != nil else {
            throw .structTooSmall(cog: expectedName, found: descriptor.pointee.struct_size, required: required)
        }
    }

    /// The schema steps a cog declares, checked: versions rise from 1 and stay within its schema version.
    static func migrations(of descriptor: UnsafePointer<cog_descriptor>, cog: String) throws(CogLoadError) -> [Migration] {
        let cogDescriptor = descriptor.pointee
        guard cogDescriptor.struct_size >= UInt32(MemoryLayout<cog_descriptor>.size), let list = cogDescriptor.migrations,
              cogDescriptor.migration_count > 0 else { return [] }
        let migrations = UnsafeBufferPointer(start: list, count: cogDescriptor.migration_count).map { step in
            Migration(version: Int(step.version), step.summary.map { String(cString: $0) } ?? "",
                      [step.sql.map { String(cString: $0) } ?? ""])
        }
        var previous = 0
        for migration in migrations {
            guard migration.version > previous else {
                throw .invalidMigrations(cog: cog, problem: "migration versions must rise (\(migration.version) follows \(previous))")
            }
            previous = migration.version
        }
        guard previous <= Int(cogDescriptor.schema_version) else {
            throw .invalidMigrations(cog: cog, problem: "migration \(previous) is newer than schema version \(cogDescriptor.schema_version)")
        }
        return migrations
    }

    /// Writes the library to `<images>/<name>-<hash>.so` unless that copy already exists.
    /// Never overwrites a file that may be mapped: a new build always gets a new path.
    private func installCopy(_ contents: Data, cog name: String, hash: String) throws(CogLoadError) -> URL {
        let destination = imagesDirectory.appendingPathComponent("\(name)-\(hash.prefix(32)).so")
        if FileManager.default.fileExists(atPath: destination.path) { return destination }
        let temporary = imagesDirectory.appendingPathComponent(".\(name)-\(UUID().uuidString).tmp")
        do {
            try FileManager.default.createDirectory(at: imagesDirectory, withIntermediateDirectories: true)
            try contents.write(to: temporary)
            guard rename(temporary.path, destination.path) == 0 else {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw .copyFailed(cog: name, reason: "\(error)")
        }
        return destination
    }
}

/// Cog names: what a library file and its commands are keyed by.
enum CogName {
    /// 1–32 of a-z, 0-9, `_` and `-`, without `__`: the namespace separator of a cog's tables
    /// (`xp__members`), so that no cog's prefix is another's (`a__` would own `a__b__t`).
    static func isValid(_ name: String) -> Bool {
        (1...32).contains(name.count) && !name.contains("__") && name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}
