import CCogABI
import Foundation
import Synchronization

/// Exports a cog type from this shared library. Call it from the library's `cog_entry`.
///
/// ```swift
/// @_cdecl("cog_entry")
/// public func cogEntry() -> UnsafeRawPointer { exportCog(Dice.self) }
/// ```
///
/// The descriptor is built once and stays valid for the life of the process: the host never
/// unloads a cog image.
///
/// - Parameter cog: The cog type to export.
/// - Returns: A pointer to this library's `cog_descriptor`.
public func exportCog<C: Cog>(_ cog: C.Type) -> UnsafeRawPointer {
    ExportedCog.shared.withLock { exported in
        if let exported { return UnsafeRawPointer(exported.descriptor) }
        let made = ExportedCog(cog)
        exported = made
        return UnsafeRawPointer(made.descriptor)
    }
}

/// The descriptor of this image and the factory that creates generations of its cog.
final class ExportedCog: Sendable {
    /// One cog per image: the image's `cog_entry` always exports the same type.
    static let shared = Mutex<ExportedCog?>(nil)

    // nonisolated(unsafe): written once in init, read-only afterwards, never freed.
    nonisolated(unsafe) let descriptor: UnsafeMutablePointer<cog_descriptor>
    let makeRuntime: @Sendable (HostServices, [UInt8]?) throws -> any CogRuntimeProtocol

    init<C: Cog>(_ cog: C.Type) {
        makeRuntime = { host, previousState in
            let instance = try C(setup: CogSetup(host: host, previousState: previousState))
            return CogRuntime(cog: instance, host: host)
        }
        let manifest = Manifest.document(for: C.self)
        let manifestBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(manifest.count, 1))
        manifestBytes.initialize(from: manifest, count: manifest.count)

        descriptor = .allocate(capacity: 1)
        descriptor.initialize(to: cog_descriptor(
            abi_version: COG_ABI_VERSION,
            struct_size: UInt32(MemoryLayout<cog_descriptor>.size),
            name: strdup(C.name),
            version: strdup(C.version),
            schema_version: UInt32(C.schemaVersion),
            compiler_version: strdup(COG_COMPILER_SWIFT_PREFIX + String(cString: cog_toolchain_id())),
            manifest_json: UnsafePointer(manifestBytes),
            manifest_length: manifest.count,
            init: cogInit,
            handle: cogHandle,
            export_state: cogExportState,
            shutdown: cogShutdown,
            free_buffer: cogFreeBuffer,
            migrations: Self.migrationTable(C.migrations),
            migration_count: C.migrations.count
        ))
    }
}

extension ExportedCog {
    /// The migrations as a C array that lives as long as the image.
    static func migrationTable(_ migrations: [SchemaMigration]) -> UnsafePointer<cog_migration>? {
        guard !migrations.isEmpty else { return nil }
        let table = UnsafeMutablePointer<cog_migration>.allocate(capacity: migrations.count)
        for (index, migration) in migrations.enumerated() {
            (table + index).initialize(to: cog_migration(
                version: UInt32(migration.version), summary: strdup(migration.summary), sql: strdup(migration.sql)
            ))
        }
        return UnsafePointer(table)
    }
}

/// Copies bytes into a buffer the host releases through `free_buffer`.
private func makeBuffer(_ bytes: [UInt8]) -> cog_buffer {
    let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
    storage.initialize(from: bytes, count: bytes.count)
    return cog_buffer(data: storage, length: bytes.count)
}

/// The object behind the `cog_ctx` pointer. A concrete class, so reading it needs no dynamic cast.
private final class RuntimeBox {
    let runtime: any CogRuntimeProtocol
    init(_ runtime: any CogRuntimeProtocol) { self.runtime = runtime }
}

private func runtime(_ context: UnsafeMutableRawPointer?) -> any CogRuntimeProtocol {
    Unmanaged<RuntimeBox>.fromOpaque(context!).takeUnretainedValue().runtime
}

private let cogInit: @convention(c) (
    UnsafePointer<cog_host_api>?, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    UnsafeMutablePointer<cog_buffer>?
) -> Int32 = { host, state, stateLength, context, errorMessage in
    guard let host, let context, let exported = ExportedCog.shared.withLock({ $0 }) else {
        return Int32(COG_ERR_BAD_REQUEST.rawValue)
    }
    let previous = state.map { Array(UnsafeBufferPointer(start: $0, count: stateLength)) }
    do {
        let made = try exported.makeRuntime(HostServices(table: host), previous)
        context.pointee = Unmanaged.passRetained(RuntimeBox(made)).toOpaque()
        return Int32(COG_OK.rawValue)
    } catch {
        errorMessage?.pointee = makeBuffer(Array("\(error)".utf8))
        return Int32(COG_ERR_FAILED.rawValue)
    }
}

private let cogHandle: @convention(c) (
    UnsafeMutableRawPointer?, UnsafePointer<cog_request>?, cog_completion_fn?, UnsafeMutableRawPointer?
) -> Void = { context, request, completion, completionContext in
    guard let completion else { return }
    let handle = CompletionHandle(function: completion, context: completionContext)
    guard let request else {
        handle.complete(status: COG_ERR_BAD_REQUEST, Array("no request".utf8))
        return
    }
    runtime(context).handle(request, completion: handle)
}

private let cogExportState: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<cog_buffer>?) -> Int32 = {
    context, state in
    do {
        state?.pointee = makeBuffer(try runtime(context).exportState())
        return Int32(COG_OK.rawValue)
    } catch {
        state?.pointee = makeBuffer(Array("\(error)".utf8))
        return Int32(COG_ERR_FAILED.rawValue)
    }
}

private let cogShutdown: @convention(c) (UnsafeMutableRawPointer?) -> Void = { context in
    guard let context else { return }
    let unmanaged = Unmanaged<RuntimeBox>.fromOpaque(context)
    unmanaged.takeUnretainedValue().runtime.shutdown()
    unmanaged.release()
}

private let cogFreeBuffer: @convention(c) (cog_buffer) -> Void = { buffer in
    buffer.data?.deallocate()
}
