import CogHost
import Foundation

/// A JSON file rewritten every few seconds for external watchdogs (a cron job, monit, a
/// container health check): a stale `time` means the process is stuck or gone. Written to a
/// temporary file and renamed, so a reader never sees half a beat.
public struct HeartbeatFile: Sendable {
    public let file: URL

    public init(file: URL) {
        self.file = file
    }

    /// What one beat records.
    public struct Beat: Codable, Sendable, Equatable {
        public var time: Date
        public var pid: Int32
        public var ready: Bool
        public var gateway: String
        public var latencyMilliseconds: Double?
        public var lastEventAgeSeconds: Double?
        public var uptimeSeconds: Double
        public var notReadyBecause: [String]
    }

    public func write(_ health: HostHealth, at time: Date = Date()) throws {
        let beat = Beat(time: time, pid: getpid(), ready: health.isReady, gateway: health.connection?.summary ?? "not connected",
                        latencyMilliseconds: health.connection?.latencyMilliseconds,
                        lastEventAgeSeconds: health.connection?.lastEventAgeSeconds, uptimeSeconds: health.uptimeSeconds,
                        notReadyBecause: health.notReadyBecause)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(LogLineHandler.timeStyle))
        }
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).tmp")
        try encoder.encode(beat).write(to: temporary)
        guard rename(temporary.path, file.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path,
                             NSLocalizedDescriptionKey: "cannot replace the heartbeat file: \(String(cString: strerror(errno)))"])
        }
    }

    /// Reads the last beat.
    public static func read(_ file: URL) throws -> Beat {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = try? LogLineHandler.timeStyle.parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 time: \(text)"))
            }
            return date
        }
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Beat.self, from: Data(contentsOf: file))
    }
}
