import CZlib
import DiscordModels
@testable import DiscordGateway

/// The first byte chooses: even, the rest is a compressed stream fed to the inflater in
/// pieces, as a hostile gateway could send it; odd, the rest is plain messages (split at
/// newlines) that the harness deflates with sync flushes as Discord does, and every message
/// must inflate back to itself and then decode as an envelope or be refused.
enum GatewayHarness {
    static let limit = 1 << 20

    static func run(_ bytes: [UInt8]) {
        guard let mode = bytes.first else { return }
        let rest = Array(bytes.dropFirst())
        guard let inflater = try? ZlibStreamInflater() else { FuzzFailure.stop("inflateInit failed") }
        if mode % 2 == 0 {
            var choices = ByteChoices(rest)
            var remaining = rest[...]
            while !remaining.isEmpty {
                let size = 1 + Int(choices.next()) * 4
                let piece = remaining.prefix(size)
                remaining = remaining.dropFirst(size)
                guard let whole = try? inflater.append(piece, limit: limit) else {
                    if (try? inflater.append([], limit: limit)) == nil { return }
                    continue
                }
                FuzzFailure.check(whole.count <= limit, "inflated \(whole.count) bytes past the limit")
                decode(whole)
            }
            return
        }
        let deflater = Deflater()
        // Discord sends no empty messages (and a sync flush of nothing writes nothing).
        for message in rest.split(separator: UInt8(ascii: "\n")) {
            let compressed = deflater.compress(Array(message))
            // A message may arrive over several WebSocket frames; the first one must not end like a
            // whole message (in the middle of a stream those four bytes can occur by chance).
            var cut = compressed.count / 2
            if compressed[..<cut].suffix(4).elementsEqual([0, 0, 0xFF, 0xFF]) { cut = 0 }
            var out: [UInt8]?
            do {
                if cut > 0 {
                    let early = try inflater.append(compressed[..<cut], limit: limit)
                    FuzzFailure.check(early == nil, "half a message inflated")
                }
                out = try inflater.append(compressed[cut...], limit: limit)
            } catch GatewayError.oversizedMessage {
                return
            } catch {
                FuzzFailure.stop("a well-formed stream failed to inflate: \(error)")
            }
            FuzzFailure.check(out == Array(message), "a message of \(message.count) bytes (\(compressed.count) compressed, cut at \(cut)) inflated to \(out.map { "\($0.count) bytes" } ?? "nothing")")
            decode(Array(message))
        }
    }

    private static func decode(_ frame: [UInt8]) {
        guard let envelope = try? frame.withUnsafeBytes({ try GatewayFrameEnvelope(frame: $0) }) else { return }
        if let range = envelope.payloadRange {
            FuzzFailure.check(range.upperBound <= frame.count, "a payload range past the frame")
        }
    }

    /// Discord's side: one zlib stream, each message ending in a sync flush. The stream lives
    /// at one address (zlib checks that it does not move).
    final class Deflater {
        private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)

        init() {
            stream.initialize(to: z_stream())
            guard deflateInit_(stream, Z_DEFAULT_COMPRESSION, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                FuzzFailure.stop("deflateInit failed")
            }
        }

        deinit {
            deflateEnd(stream)
            stream.deallocate()
        }

        func compress(_ input: [UInt8]) -> [UInt8] {
            var result: [UInt8] = []
            var output = [UInt8](repeating: 0, count: 64 << 10)
            var input = input
            input.withUnsafeMutableBufferPointer { source in
                stream.pointee.next_in = source.baseAddress
                stream.pointee.avail_in = UInt32(source.count)
                repeat {
                    output.withUnsafeMutableBufferPointer { out in
                        stream.pointee.next_out = out.baseAddress
                        stream.pointee.avail_out = UInt32(out.count)
                        let status = deflate(stream, Z_SYNC_FLUSH)
                        FuzzFailure.check(status == Z_OK || status == Z_BUF_ERROR, "deflate failed with \(status)")
                        result.append(contentsOf: out[0..<(out.count - Int(stream.pointee.avail_out))])
                    }
                } while stream.pointee.avail_out == 0
            }
            return result
        }
    }
}
