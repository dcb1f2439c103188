import CZlib

/// gzip (RFC 1952) compression for backups, through the system zlib.
enum GzipCodec {
    static func compress(_ input: [UInt8]) throws(StorageError) -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw StorageError(code: -1, message: "deflateInit2 failed", context: "compressing a backup")
        }
        defer { deflateEnd(&stream) }
        return try pump(&stream, input, context: "compressing a backup") { deflate(&$0, Z_FINISH) }
    }

    /// - Throws: ``StorageError`` for data that is not complete gzip (corrupt or truncated).
    static func decompress(_ input: [UInt8]) throws(StorageError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw StorageError(code: -1, message: "inflateInit2 failed", context: "decompressing a backup")
        }
        defer { inflateEnd(&stream) }
        return try pump(&stream, input, context: "decompressing a backup") { inflate(&$0, Z_FINISH) }
    }

    private static func pump(
        _ stream: inout z_stream, _ input: [UInt8], context: String, step: (inout z_stream) -> Int32
    ) throws(StorageError) -> [UInt8] {
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var input = input
        let status: Int32 = input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = UInt32(inputBuffer.count)
            var status = Z_OK
            repeat {
                status = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    let status = step(&stream)
                    output.append(contentsOf: out[0..<(out.count - Int(stream.avail_out))])
                    return status
                }
            } while status == Z_OK || (status == Z_BUF_ERROR && stream.avail_out == 0)
            return status
        }
        guard status == Z_STREAM_END else {
            throw StorageError(code: -1, message: "the data is not complete gzip (zlib status \(status)): corrupt or truncated",
                               context: context)
        }
        return output
    }
}
