import Crypto
import Foundation

/// AES-256-GCM over a stream, in sealed frames, so an encrypted backup is written and read a
/// chunk at a time.
///
/// Each frame is a 4-byte big-endian length and an AES-GCM box (nonce, ciphertext, tag). The
/// frame's index and whether it is the last are authenticated with it, so reordered, dropped,
/// or cut-off frames fail to open rather than restore part of a database.
enum SealedChunks {
    private static func associatedData(index: UInt64, last: Bool) -> [UInt8] {
        withUnsafeBytes(of: index.bigEndian, Array.init) + [last ? 1 : 0]
    }

    /// Seals one chunk as a frame.
    static func seal(_ chunk: [UInt8], index: UInt64, last: Bool, key: SymmetricKey) throws -> [UInt8] {
        let box = try AES.GCM.seal(chunk, using: key, authenticating: associatedData(index: index, last: last))
        let combined = Array(box.combined!)
        return withUnsafeBytes(of: UInt32(combined.count).bigEndian, Array.init) + combined
    }

    /// Opens frames as their bytes arrive.
    struct Opener {
        let key: SymmetricKey
        private var pending: [UInt8] = []
        private var index: UInt64 = 0
        private(set) var sawLast = false

        init(key: SymmetricKey) {
            self.key = key
        }

        /// Feeds bytes; returns the plaintext of every frame they complete.
        mutating func feed(_ bytes: [UInt8]) throws(StorageError) -> [UInt8] {
            pending += bytes
            var plaintext: [UInt8] = []
            while pending.count >= 4 {
                let length = Int(pending[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
                guard pending.count >= 4 + length else { break }
                guard !sawLast else { throw Self.damaged }
                let frame = Array(pending[4..<4 + length])
                pending.removeFirst(4 + length)
                plaintext += try open(frame)
            }
            return plaintext
        }

        /// Checks the stream ended with its last frame and nothing after it.
        func finish() throws(StorageError) {
            guard sawLast, pending.isEmpty else {
                throw StorageError(code: -1, message: "the encrypted backup is truncated", context: "decrypting a backup")
            }
        }

        private mutating func open(_ frame: [UInt8]) throws(StorageError) -> [UInt8] {
            guard let box = try? AES.GCM.SealedBox(combined: frame) else { throw Self.damaged }
            for last in [false, true] {
                if let plain = try? AES.GCM.open(box, using: key, authenticating: SealedChunks.associatedData(index: index, last: last)) {
                    index += 1
                    sawLast = last
                    return Array(plain)
                }
            }
            throw Self.damaged
        }

        private static let damaged = StorageError(code: -1, message: "cannot decrypt: wrong key, or the backup is damaged",
                                                  context: "decrypting a backup")
    }
}
