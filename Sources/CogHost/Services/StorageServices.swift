import CCogABI
import CogWire
import Foundation
import Storage

/// The storage entries of `cog_host_api`: C trampolines onto the generation's ``CogStore``.
///
/// Every entry answers with a status and fills `out` with the result or a reason; failures are
/// also logged against the cog, so an admin sees what a cog was refused.
enum StorageServices {
    static func install(in table: inout cog_host_api) {
        table.kv_get = kvGet
        table.kv_set = kvSet
        table.kv_delete = kvDelete
        table.kv_list = kvList
        table.sql = sqlRequest
        table.release_buffer = releaseBuffer
    }

    /// Runs `body` for the generation behind `context`, turning its result or error into a
    /// status and an `out` buffer.
    fileprivate static func answer(
        _ context: UnsafeMutableRawPointer?, _ out: UnsafeMutablePointer<cog_buffer>?, operation: String,
        _ body: (GenerationServices) throws -> (cog_status, [UInt8])
    ) -> Int32 {
        guard let services = GenerationServices.from(context) else { return Int32(COG_ERR_BAD_REQUEST.rawValue) }
        let status: cog_status
        let bytes: [UInt8]
        do {
            (status, bytes) = try body(services)
        } catch {
            (status, bytes) = failure(error)
            services.logger.warning("storage request refused", metadata: ["operation": "\(operation)", "reason": "\(error)"])
        }
        out?.pointee = bytes.isEmpty ? cog_buffer(data: nil, length: 0) : hostBuffer(bytes)
        return Int32(status.rawValue)
    }

    private static func failure(_ error: any Error) -> (cog_status, [UInt8]) {
        guard let error = error as? StorageError else { return (COG_ERR_STORAGE, Array("\(error)".utf8)) }
        let status = error.isDenied ? COG_ERR_DENIED : error.isBadRequest ? COG_ERR_BAD_REQUEST : COG_ERR_STORAGE
        return (status, Array(error.description.utf8))
    }

    private static func hostBuffer(_ bytes: [UInt8]) -> cog_buffer {
        let data = malloc(bytes.count)!.assumingMemoryBound(to: UInt8.self)
        data.initialize(from: bytes, count: bytes.count)
        return cog_buffer(data: data, length: bytes.count)
    }

    fileprivate static func location(_ pointer: UnsafePointer<cog_kv_location>?) throws -> KeyValueLocation {
        guard let where_ = pointer?.pointee, let scope = KeyValueScope(rawValue: where_.scope) else {
            throw StorageError(code: -1, message: "unknown key-value scope \(pointer?.pointee.scope ?? -1)", context: "reading a location")
        }
        return KeyValueLocation(scope: scope, first: where_.first_id, second: where_.second_id)
    }

    fileprivate static func text(_ pointer: UnsafePointer<CChar>?, _ length: Int) -> String {
        guard let pointer else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    /// `kv_list` records: u64 first_id, u64 second_id, u32 key length, key, u32 value length, value.
    fileprivate static func encode(_ entries: [KeyValueEntry]) -> [UInt8] {
        var bytes: [UInt8] = []
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        for entry in entries {
            append(entry.location.first)
            append(entry.location.second)
            append(UInt32(entry.key.utf8.count))
            bytes.append(contentsOf: entry.key.utf8)
            append(UInt32(entry.value.count))
            bytes.append(contentsOf: entry.value)
        }
        return bytes
    }
}

private let kvGet: @convention(c) (
    UnsafeMutableRawPointer?, UnsafePointer<cog_kv_location>?, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<cog_buffer>?
) -> Int32 = { context, location, key, keyLength, out in
    StorageServices.answer(context, out, operation: "kv_get") { services in
        let value = try services.storage.value(for: StorageServices.text(key, keyLength), at: StorageServices.location(location))
        return value.map { (COG_OK, $0) } ?? (COG_ERR_NOT_FOUND, [])
    }
}

private let kvSet: @convention(c) (
    UnsafeMutableRawPointer?, UnsafePointer<cog_kv_location>?, UnsafePointer<CChar>?, Int, UnsafePointer<UInt8>?, Int,
    UnsafeMutablePointer<cog_buffer>?
) -> Int32 = { context, location, key, keyLength, value, valueLength, out in
    StorageServices.answer(context, out, operation: "kv_set") { services in
        let bytes = value.map { Array(UnsafeBufferPointer(start: $0, count: valueLength)) } ?? []
        try services.storage.setValue(bytes, for: StorageServices.text(key, keyLength), at: StorageServices.location(location))
        return (COG_OK, [])
    }
}

private let kvDelete: @convention(c) (
    UnsafeMutableRawPointer?, UnsafePointer<cog_kv_location>?, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<cog_buffer>?
) -> Int32 = { context, location, key, keyLength, out in
    StorageServices.answer(context, out, operation: "kv_delete") { services in
        let removed = try services.storage.removeValue(for: StorageServices.text(key, keyLength), at: StorageServices.location(location))
        return (removed ? COG_OK : COG_ERR_NOT_FOUND, [])
    }
}

private let kvList: @convention(c) (
    UnsafeMutableRawPointer?, UnsafePointer<cog_kv_location>?, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<cog_buffer>?
) -> Int32 = { context, location, prefix, prefixLength, out in
    StorageServices.answer(context, out, operation: "kv_list") { services in
        let entries = try services.storage.entries(at: StorageServices.location(location),
                                                   prefix: StorageServices.text(prefix, prefixLength))
        return (COG_OK, StorageServices.encode(entries))
    }
}

private let sqlRequest: @convention(c) (
    UnsafeMutableRawPointer?, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<cog_buffer>?
) -> Int32 = { context, request, length, out in
    StorageServices.answer(context, out, operation: "sql") { services in
        let bytes = request.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? []
        switch try SQLWire.statements(bytes) {
        case .single(let document):
            let statement = SQLWire.statement(document)
            let result = try services.storage.run(statement.sql, statement.parameters)
            return (COG_OK, SQLAnswerDocument.single(SQLWire.answer(result)).encoded())
        case .batch(let documents):
            let results = try services.storage.runBatch(documents.map(SQLWire.statement))
            return (COG_OK, SQLAnswerDocument.batch(results.map(SQLWire.answer)).encoded())
        }
    }
}

private let releaseBuffer: @convention(c) (UnsafeMutableRawPointer?, cog_buffer) -> Void = { _, buffer in
    free(buffer.data)
}
