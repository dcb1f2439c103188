import Foundation

/// What a shard needs to resume its session: kept across reconnects, and written to disk on a
/// planned shutdown so the next process resumes instead of identifying.
public struct ResumableSession: Codable, Sendable, Equatable {
    public var shardID: Int
    public var sessionID: String
    public var sequence: Int64
    public var resumeURL: String
    /// When the connection closed; Discord keeps a session only for a short while.
    public var savedAt: Date

    public init(shardID: Int, sessionID: String, sequence: Int64, resumeURL: String, savedAt: Date = Date()) {
        self.shardID = shardID
        self.sessionID = sessionID
        self.sequence = sequence
        self.resumeURL = resumeURL
        self.savedAt = savedAt
    }
}

/// Reads and writes the resumable sessions of all shards as one JSON file.
public struct GatewaySessionStore: Sendable {
    public let file: URL
    /// Sessions older than this are not worth a RESUME attempt.
    public let maximumAge: TimeInterval

    public init(file: URL, maximumAge: TimeInterval = 120) {
        self.file = file
        self.maximumAge = maximumAge
    }

    /// The saved sessions that are still young enough to resume, by shard id. The file is
    /// removed once read: a session is resumed at most once.
    public func takeSessions(now: Date = Date()) -> [Int: ResumableSession] {
        guard let data = try? Data(contentsOf: file) else { return [:] }
        try? FileManager.default.removeItem(at: file)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let sessions = try? decoder.decode([ResumableSession].self, from: data) else { return [:] }
        return Dictionary(sessions.filter { now.timeIntervalSince($0.savedAt) < maximumAge }.map { ($0.shardID, $0) },
                          uniquingKeysWith: { first, _ in first })
    }

    /// Saves `sessions` atomically with mode 0600.
    public func save(_ sessions: [ResumableSession]) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(sessions)
        try data.write(to: file, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    }
}
