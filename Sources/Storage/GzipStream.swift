import CZlib

/// gzip (RFC 1952) through the system zlib, a chunk at a time, so a backup of a large database
/// never sits in memory whole.
final class GzipStream {
    enum Direction { case compress, decompress }

    private let direction: Direction
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private let context: String
    /// Whether the end of the gzip data was reached (decompression).
    private(set) var finished = false

    init(_ direction: Direction) throws(StorageError) {
        self.direction = direction
        context = direction == .compress ? "compressing a backup" : "decompressing a backup"
        stream.initialize(to: z_stream())
        let status = switch direction {
        case .compress:
            deflateInit2_(stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                          Int32(MemoryLayout<z_stream>.size))
        case .decompress:
            inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        }
        guard status == Z_OK else { throw StorageError(code: -1, message: "zlib could not start (\(status))", context: context) }
    }

    deinit {
        switch direction {
        case .compress: deflateEnd(stream)
        case .decompress: inflateEnd(stream)
        }
        stream.deallocate()
    }

    /// Feeds `input`; returns the output it produced. Pass `last` with the final chunk when compressing.
    ///
    /// - Throws: ``StorageError`` for data that is not gzip (corrupt), or data after its end.
    func process(_ input: [UInt8], last: Bool = false) throws(StorageError) -> [UInt8] {
        if direction == .decompress, finished, !input.isEmpty {
            throw StorageError(code: -1, message: "unexpected data after the end of the gzip stream", context: context)
        }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        var input = input
        let status: Int32 = input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.pointee.next_in = inputBuffer.baseAddress
            stream.pointee.avail_in = UInt32(inputBuffer.count)
            var status = Z_OK
            repeat {
                status = chunk.withUnsafeMutableBufferPointer { out in
                    stream.pointee.next_out = out.baseAddress
                    stream.pointee.avail_out = UInt32(out.count)
                    let status = switch direction {
                    case .compress: deflate(stream, last ? Z_FINISH : Z_NO_FLUSH)
                    case .decompress: inflate(stream, Z_NO_FLUSH)
                    }
                    output.append(contentsOf: out[0..<(out.count - Int(stream.pointee.avail_out))])
                    return status
                }
            } while status == Z_OK && (stream.pointee.avail_in > 0 || stream.pointee.avail_out == 0)
            return status
        }
        switch status {
        case Z_STREAM_END:
            finished = true
        case Z_OK:
            break
        case Z_BUF_ERROR where !(direction == .compress && last):
            break
        default:
            throw StorageError(code: -1, message: "the data is not valid gzip (zlib status \(status)): the backup is corrupt",
                               context: context)
        }
        return output
    }
}
