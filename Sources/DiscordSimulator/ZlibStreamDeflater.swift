import CZlib

/// Compresses gateway messages as Discord's `zlib-stream`: one zlib stream per connection,
/// each message ending with a sync flush.
final class ZlibStreamDeflater {
    private var stream = z_stream()
    private var output = [UInt8](repeating: 0, count: 64 * 1024)

    init() {
        let status = deflateInit_(&stream, Z_DEFAULT_COMPRESSION, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit failed with status \(status)")
    }

    deinit {
        deflateEnd(&stream)
    }

    /// Compresses one message; the result ends with `00 00 FF FF`.
    func compress(_ message: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var input = message
        input.withUnsafeMutableBufferPointer { input in
            stream.next_in = input.baseAddress
            stream.avail_in = UInt32(input.count)
            repeat {
                output.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    deflate(&stream, Z_SYNC_FLUSH)
                    result.append(contentsOf: out[0..<(out.count - Int(stream.avail_out))])
                }
            } while stream.avail_out == 0
        }
        return result
    }
}
