import Foundation
import Synchronization

/// A log file that starts over when it reaches its size limit: `bot.log` becomes `bot.log.1`,
/// `bot.log.1` becomes `bot.log.2`, and so on up to the number kept; the oldest is removed.
public final class RotatingLogFile: Sendable {
    public let file: URL
    private let maxBytes: Int
    private let keep: Int
    private let state: Mutex<(descriptor: Int32, bytes: Int)>

    /// Opens (or creates, mode 0600) `file` for appending.
    public init(file: URL, maxBytes: Int, keep: Int) throws {
        self.file = file
        self.maxBytes = maxBytes
        self.keep = keep
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let descriptor = try Self.open(file)
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        state = Mutex((descriptor, size))
    }

    deinit {
        state.withLock { _ = close($0.descriptor) }
    }

    /// Appends one line (a newline is added), rotating first when it would pass the limit.
    /// A failed write is dropped: logging must never stop the bot.
    public func write(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        state.withLock { state in
            if state.bytes > 0, state.bytes + bytes.count > maxBytes, let descriptor = try? rotate(closing: state.descriptor) {
                state = (descriptor, 0)
            }
            let written = bytes.withUnsafeBytes { Foundation.write(state.descriptor, $0.baseAddress, $0.count) }
            if written > 0 { state.bytes += written }
        }
    }

    private func rotate(closing descriptor: Int32) throws -> Int32 {
        close(descriptor)
        let manager = FileManager.default
        let numbered = { (index: Int) in self.file.appendingPathExtension("\(index)") }
        try? manager.removeItem(at: numbered(keep))
        for index in stride(from: keep - 1, through: 1, by: -1) where manager.fileExists(atPath: numbered(index).path) {
            try manager.moveItem(at: numbered(index), to: numbered(index + 1))
        }
        try manager.moveItem(at: file, to: numbered(1))
        return try Self.open(file)
    }

    private static func open(_ file: URL) throws -> Int32 {
        let descriptor = Foundation.open(file.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path,
                             NSLocalizedDescriptionKey: "cannot open the log file: \(String(cString: strerror(errno)))"])
        }
        return descriptor
    }
}
