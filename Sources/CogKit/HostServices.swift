import CCogABI
internal import CogWire

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
    var hasStorage: Bool { Int(table.pointee.struct_size) >= MemoryLayout<cog_host_api>.offset(of: \.call_service)! }

    /// Whether the host offers `call_service` (appended after storage).
    var hasServices: Bool { Int(table.pointee.struct_size) >= MemoryLayout<cog_host_api>.size }

    /// Calls a host service (`{"service": …}`) and waits for its JSON answer.
    ///
    /// - Throws: ``ServiceCallError`` with the host's reason.
    func callService(_ request: [UInt8]) async throws(ServiceCallError) -> [UInt8] {
        guard hasServices, let call = table.pointee.call_service else {
            throw ServiceCallError(status: Int32(COG_ERR_UNSUPPORTED.rawValue), message: "this host offers no services; it is older than this cog")
        }
        let (status, bytes) = await withCheckedContinuation { (continuation: CheckedContinuation<(Int32, [UInt8]), Never>) in
            let box = Unmanaged.passRetained(ServiceContinuation(continuation)).toOpaque()
            request.withUnsafeBufferPointer { buffer in
                call(table.pointee.host_ctx, buffer.baseAddress, buffer.count, serviceCompletion, box)
            }
        }
        guard status == Int32(COG_OK.rawValue) else {
            throw ServiceCallError(status: status, message: String(decoding: bytes, as: UTF8.self))
        }
        return bytes
    }

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

extension Optional where Wrapped == HostServices {
    /// Calls a service and reads its typed answer.
    ///
    /// - Throws: ``ServiceCallError`` with the host's reason, or when the answer does not read.
    func call<Answer: WireDocument>(_ request: ServiceRequest, answer: Answer.Type) async throws -> Answer {
        guard let host = self else {
            throw ServiceCallError(status: Int32(COG_ERR_UNSUPPORTED.rawValue), message: "this cog runs outside a host")
        }
        let bytes = try await host.callService(request.encoded())
        do {
            return try Answer(scanning: bytes)
        } catch {
            throw ServiceCallError(status: Int32(COG_ERR_FAILED.rawValue), message: "the host's answer to \(request.service) did not read: \(error)")
        }
    }
}

/// The continuation of one service call, carried through the host as the completion context.
private final class ServiceContinuation {
    let continuation: CheckedContinuation<(Int32, [UInt8]), Never>
    init(_ continuation: CheckedContinuation<(Int32, [UInt8]), Never>) { self.continuation = continuation }
}

private let serviceCompletion: cog_completion_fn = { context, status, bytes, length in
    guard let context else { return }
    let box = Unmanaged<ServiceContinuation>.fromOpaque(context).takeRetainedValue()
    box.continuation.resume(returning: (status, bytes.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? []))
}

/// The host refused or failed a service call (a Discord action, a job, activity); the
/// message says why, e.g. "message 12 in channel 34 was not sent by cog polls".
public struct ServiceCallError: Error, Sendable, CustomStringConvertible {
    /// The `cog_status` the host answered with.
    public let status: Int32
    /// The host's reason.
    public let message: String

    public var description: String { message }
}
