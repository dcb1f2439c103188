import CCogABI
import Logging
import Storage

/// The host services one generation of a cog sees through its `cog_host_api` table.
///
/// A cog may keep calling its table after it was shut down (a stray task), so the table and
/// this object are never freed; they cost a few hundred bytes per generation, like the image.
final class GenerationServices: Sendable {
    let logger: Logger
    /// The cog's key–value entries and tables.
    let storage: CogStore
    /// Discord actions, jobs and activity; `nil` outside a host (benchmarks).
    let providers: CogServiceProviders?
    // nonisolated(unsafe): written once here, read-only afterwards, never freed.
    nonisolated(unsafe) private(set) var table: UnsafeMutablePointer<cog_host_api>!

    init(logger: Logger, storage: CogStore, providers: CogServiceProviders?) {
        self.logger = logger
        self.storage = storage
        self.providers = providers
        var services = cog_host_api()
        services.abi_version = COG_ABI_VERSION
        services.struct_size = UInt32(MemoryLayout<cog_host_api>.size)
        services.log = hostLog
        services.defer_interaction = hostDeferInteraction
        StorageServices.install(in: &services)
        services.call_service = hostCallService
        let table = UnsafeMutablePointer<cog_host_api>.allocate(capacity: 1)
        table.initialize(to: services)
        self.table = table
        table.pointee.host_ctx = Unmanaged.passRetained(self).toOpaque()
    }

    static func from(_ context: UnsafeMutableRawPointer?) -> GenerationServices? {
        context.map { Unmanaged<GenerationServices>.fromOpaque($0).takeUnretainedValue() }
    }
}

private let hostLog: @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, Int) -> Void = {
    context, level, message, length in
    guard let services = GenerationServices.from(context), let message else { return }
    let text = String(decoding: UnsafeRawBufferPointer(start: message, count: length), as: UTF8.self)
    let logLevel: Logger.Level = switch UInt32(max(level, 0)) {
    case COG_LOG_TRACE.rawValue: .trace
    case COG_LOG_DEBUG.rawValue: .debug
    case COG_LOG_INFO.rawValue: .info
    case COG_LOG_NOTICE.rawValue: .notice
    case COG_LOG_WARNING.rawValue: .warning
    default: .error
    }
    services.logger.log(level: logLevel, "\(text)")
}

private let hostDeferInteraction: @convention(c) (UnsafeMutableRawPointer?, UInt64, Int32) -> Int32 = {
    _, requestID, ephemeral in
    let delivered = CallRegistry.post(.deferRequested(ephemeral: ephemeral != 0, automatic: false), toCall: requestID)
    return Int32(delivered ? COG_OK.rawValue : COG_ERR_BAD_REQUEST.rawValue)
}

private let hostCallService: @convention(c) (
    UnsafeMutableRawPointer?, UnsafePointer<UInt8>?, Int, cog_completion_fn?, UnsafeMutableRawPointer?
) -> Void = { context, request, length, completion, completionContext in
    guard let completion else { return }
    let done = ServiceCompletion(function: completion, context: completionContext)
    guard let services = GenerationServices.from(context), let providers = services.providers else {
        done.complete(status: COG_ERR_UNSUPPORTED, Array("this host offers no services".utf8))
        return
    }
    let bytes = request.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? []
    providers.calls.enqueue(.init(cog: services.storage.cog, request: bytes, completion: done, logger: services.logger))
}

/// A `cog_host_api` table for a cog outside any generation, for code that calls the host the
/// way a cog does: benchmarks and cog test harnesses. Like a generation's, it is never freed.
///
/// ```swift
/// let table = CogServicesTable.make(cog: "bench", database: host.database, logger: logger)
/// var location = cog_kv_location(scope: Int32(COG_KV_GLOBAL.rawValue), first_id: 0, second_id: 0)
/// var out = cog_buffer(data: nil, length: 0)
/// let status = table.pointee.kv_get(table.pointee.host_ctx, &location, "key", 3, &out)
/// ```
public enum CogServicesTable {
    public static func make(cog: String, database: SQLiteDatabase, logger: Logger) -> UnsafePointer<cog_host_api> {
        UnsafePointer(GenerationServices(logger: logger, storage: CogStore(cog: cog, database: database), providers: nil).table)
    }
}
