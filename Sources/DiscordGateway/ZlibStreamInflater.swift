import CZlib

/// Decompresses Discord's `zlib-stream` transport compression.
///
/// The whole connection is one zlib stream: every gateway message ends with a sync flush
/// (`00 00 FF FF`), and a message may arrive split over several WebSocket frames. The
/// inflater keeps the zlib context (and its dictionary) for the life of one connection.
final class ZlibStreamInflater {
    private static let flushSuffix: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]
    private var stream = z_stream()
    private var pending: [UInt8] = []
    private var output = [UInt8](repeating: 0, count: 64 * 1024)
    /// The most compressed bytes kept allocated between messages.
    private static let keptCapacity = 256 * 1024

    init() throws(GatewayError) {
        let status = inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw GatewayError.decompression("inflateInit failed with status \(status)") }
    }

    deinit {
        inflateEnd(&stream)
    }

    /// Adds one WebSocket message; returns the decompressed gateway payload once a whole
    /// message has arrived, `nil` while it is still incomplete.
    ///
    /// - Throws: ``GatewayError/oversizedMessage(_:)`` rather than inflating past `limit` bytes,
    ///   or holding more than `limit` compressed bytes of a message whose end never comes.
    func append(_ bytes: some Collection<UInt8>, limit: Int) throws(GatewayError) -> [UInt8]? {
        guard pending.count + bytes.count <= limit else { throw GatewayError.oversizedMessage(limit: limit) }
        pending.append(contentsOf: bytes)
        guard pending.count >= 4, pending.suffix(4).elementsEqual(Self.flushSuffix) else { return nil }
        // One large message must not pin its buffer for the rest of the connection.
        defer { pending.removeAll(keepingCapacity: pending.count <= Self.keptCapacity) }
        var result: [UInt8] = []
        result.reserveCapacity(pending.count * 4)
        let status: Int32 = pending.withUnsafeMutableBufferPointer { input in
            stream.next_in = input.baseAddress
            stream.avail_in = UInt32(input.count)
            var status = Z_OK
            repeat {
                status = output.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    let status = inflate(&stream, Z_SYNC_FLUSH)
                    result.append(contentsOf: out[0..<(out.count - Int(stream.avail_out))])
                    return status
                }
            } while status == Z_OK && (stream.avail_in > 0 || stream.avail_out == 0) && result.count <= limit
            return status
        }
        guard status == Z_OK || status == Z_BUF_ERROR || status == Z_STREAM_END else {
            throw GatewayError.decompression("inflate failed with status \(status)")
        }
        guard result.count <= limit else { throw GatewayError.oversizedMessage(limit: limit) }
        return result
    }
}
