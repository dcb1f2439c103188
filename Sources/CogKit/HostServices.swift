import CCogABI

/// The host's services table for one generation, as passed to `init`.
///
/// The table stays valid for the generation's lifetime; the host owns it.
struct HostServices: @unchecked Sendable {
    // @unchecked: the table is immutable after init and its functions are thread-safe by contract.
    let table: UnsafePointer<cog_host_api>

    func log(_ level: cog_log_level, _ message: String) {
        guard let log = table.pointee.log else { return }
        var message = message
        message.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                log(table.pointee.host_ctx, Int32(level.rawValue), chars.baseAddress, chars.count)
            }
        }
    }

    func deferInteraction(requestID: UInt64, ephemeral: Bool) -> Bool {
        guard let deferInteraction = table.pointee.defer_interaction else { return false }
        return deferInteraction(table.pointee.host_ctx, requestID, ephemeral ? 1 : 0) == Int32(COG_OK.rawValue)
    }

    /// Whether the host offers the storage entries (they were appended to the table).
    var hasStorage: Bool { table.pointee.struct_size >= MemoryLayout<cog_host_api>.size }

    /// One storage call: the status and the bytes the host put in `out` (released here).
    func storageCall(_ call: (cog_host_api, UnsafeMutablePointer<cog_buffer>) -> Int32?) -> (Int32, [UInt8]) {
        var out = cog_buffer(data: nil, length: 0)
        let status = call(table.pointee, &out) ?? Int32(COG_ERR_UNSUPPORTED.rawValue)
        defer { if out.data != nil { table.pointee.release_buffer?(table.pointee.host_ctx, out) } }
        return (status, out.data.map { Array(UnsafeBufferPointer(start: $0, count: out.length)) } ?? [])
    }
}

/// Writes to the host's log, attributed to the cog.
///
/// ```swift
/// context.logger.info("rolled \(total) for \(context.user.id)")
/// ```
public struct CogLogger: Sendable {
    let host: HostServices?

    /// Detail useful while debugging.
    public func debug(_ message: String) { host?.log(COG_LOG_DEBUG, message) }
    /// Normal operation worth recording.
    public func info(_ message: String) { host?.log(COG_LOG_INFO, message) }
    /// Something unexpected that the cog handled.
    public func warning(_ message: String) { host?.log(COG_LOG_WARNING, message) }
    /// A failure an admin should look at.
    public func error(_ message: String) { host?.log(COG_LOG_ERROR, message) }
}
