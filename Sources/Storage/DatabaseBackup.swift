import Crypto
import Foundation

/// Backups of the host database: an online copy, checked with `integrity_check`, gzip-compressed,
/// optionally sealed with AES-256-GCM, written with a SHA-256 checksum file, and pruned by count
/// and age. Restoring verifies all of that before it touches the live database, and accepts only
/// the objects the host and cogs make (``RestoredSchema``): a crafted file with a trigger or a
/// view is refused, as is one that inflates past ``maxExpansion`` times its size.
///
/// ```swift
/// let backups = DatabaseBackup(directory: dataDirectory.appendingPathComponent("backups"))
/// let made = try backups.create(from: database)          // cogwheel-20261122-101500.sqlite3.gz
/// let report = try backups.restore(made.file, into: databaseFile)
/// ```
public struct DatabaseBackup: Sendable {
    public let directory: URL
    /// Keep at most this many backups…
    public var keepCount: Int
    /// …and none older than this many days (the newest is always kept).
    public var keepDays: Int
    /// Seals backups with AES-256-GCM when set (e.g. from `COGWHEEL_BACKUP_KEY`).
    public var key: BackupKey?
    /// A restore inflates a backup to at most this many times its size…
    public var maxExpansion = 200
    /// …or this many bytes, whichever is more.
    public var minimumInflationCap = 64 << 20

    public init(directory: URL, keepCount: Int = 14, keepDays: Int = 30, key: BackupKey? = nil) {
        self.directory = directory
        self.keepCount = keepCount
        self.keepDays = keepDays
        self.key = key
    }

    /// One backup written.
    public struct Made: Sendable {
        public let file: URL
        public let bytes: Int
        public let sha256: String
        public let encrypted: Bool
        public let pruned: [URL]
    }

    /// What a restore put in place.
    public struct Restored: Sendable {
        public let check: DatabaseCheck
        /// Where the database that was replaced went, when there was one.
        public let replacedCopy: URL?
    }

    /// Makes a backup of `database` now.
    public func create(from database: SQLiteDatabase, at date: Date = Date()) throws -> Made {
        try create(from: database, named: Self.backupPrefix, at: date)
    }

    /// Backups are `cogwheel-<time>…`; the databases restores replaced are `replaced-<time>…`.
    static let backupPrefix = "cogwheel"
    static let replacedPrefix = "replaced"

    private func create(from database: SQLiteDatabase, named prefix: String, at date: Date) throws -> Made {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let copy = directory.appendingPathComponent(".copy-\(UUID().uuidString).sqlite3")
        defer { Self.removeDatabaseFiles(copy) }
        try database.onlineBackup(to: copy)
        let integrity = try DatabaseCheck(try SQLiteDatabase(file: copy)).integrity
        guard integrity == ["ok"] else {
            throw StorageError(code: -1, message: integrity.joined(separator: "; "), context: "integrity check of the new backup")
        }
        let name = "\(prefix)-\(Self.timestampFormatter.string(from: date)).sqlite3.gz" + (key == nil ? "" : ".enc")
        let file = directory.appendingPathComponent(name)
        let (bytes, sha256) = try writeCompressed(copy, to: file)
        try Data("\(sha256)  \(name)\n".utf8).write(to: Self.checksumFile(for: file), options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: Self.checksumFile(for: file).path)
        return Made(file: file, bytes: bytes, sha256: sha256, encrypted: key != nil, pruned: try prune(prefix, now: date))
    }

    /// Streams `source` through gzip (and AES-GCM frames when a key is set) into `file`, a
    /// megabyte at a time, hashing what it writes; the file appears only once complete and synced.
    private func writeCompressed(_ source: URL, to file: URL) throws -> (bytes: Int, sha256: String) {
        let partial = directory.appendingPathComponent(".\(file.lastPathComponent).partial")
        defer { try? FileManager.default.removeItem(at: partial) }
        let gzip = try GzipStream(.compress)
        var hasher = SHA256()
        var written = 0
        var frame: UInt64 = 0
        try Self.stream(from: source, to: partial) { input, output in
            while true {
                let chunk = try input.read(upToCount: 1 << 20) ?? Data()
                let last = chunk.isEmpty
                var bytes = try gzip.process(Array(chunk), last: last)
                if let key, !bytes.isEmpty || last {
                    bytes = try SealedChunks.seal(bytes, index: frame, last: last, key: key.symmetricKey)
                    frame += 1
                }
                hasher.update(data: bytes)
                try output.write(contentsOf: bytes)
                written += bytes.count
                if last { break }
            }
            try output.synchronize()
        }
        guard rename(partial.path, file.path) == 0 else {
            throw StorageError(code: -1, message: String(cString: strerror(errno)), context: "moving the backup into place")
        }
        return (written, Self.hex(hasher.finalize()))
    }

    /// Restores `backup` into `databaseFile` after verifying checksum, key, compression,
    /// integrity and schema; the database it replaces is kept next to the backups, compressed
    /// and sealed like them (mode 0600), and pruned with them.
    ///
    /// - Parameter unauthenticated: Accept a backup without a seal although a key is set.
    /// - Throws: ``StorageError`` with the reason (checksum mismatch, wrong key, not gzip, too
    ///   large, integrity problems, objects the host never makes, a host running on the
    ///   directory); the live database is untouched.
    public func restore(_ backup: URL, into databaseFile: URL, unauthenticated: Bool = false) throws -> Restored {
        if let pid = DataDirectoryLock.holder(in: databaseFile.deletingLastPathComponent()) {
            throw StorageError(code: -1, message: "a host is running on this data directory (process \(pid)); stop it first",
                               context: "restoring \(backup.lastPathComponent)")
        }
        let context = "restoring \(backup.lastPathComponent)"
        guard let line = try? String(contentsOf: Self.checksumFile(for: backup), encoding: .utf8),
              let expected = line.split(separator: " ").first.map(String.init) else {
            throw StorageError(code: -1, message: "the checksum file \(Self.checksumFile(for: backup).lastPathComponent) is missing",
                               context: context)
        }
        guard try Self.sha256(of: backup, context: context) == expected else {
            throw StorageError(code: -1, message: "checksum mismatch: the backup is corrupt or truncated", context: context)
        }
        let encrypted = backup.pathExtension == "enc"
        if encrypted, key == nil {
            throw StorageError(code: -1, message: "the backup is encrypted; set COGWHEEL_BACKUP_KEY", context: context)
        }
        if !encrypted, key != nil, !unauthenticated {
            throw StorageError(code: -1, message: "the backup is not sealed, so nothing shows this host made it; COGWHEEL_BACKUP_KEY is set, so pass --force to restore it anyway",
                               context: context)
        }
        try FileManager.default.createDirectory(at: databaseFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        let staged = databaseFile.deletingLastPathComponent().appendingPathComponent(".restore-\(UUID().uuidString).sqlite3")
        defer { Self.removeDatabaseFiles(staged) }
        do {
            let size = (try FileManager.default.attributesOfItem(atPath: backup.path)[.size] as? NSNumber)?.intValue ?? 0
            try expand(backup, encrypted: encrypted, into: staged, limit: max(minimumInflationCap, size * maxExpansion))
        } catch let error as StorageError {
            throw StorageError(code: error.code, message: error.message, context: context)
        }
        let check: DatabaseCheck
        do {
            check = try DatabaseCheck(try SQLiteDatabase(file: staged))
        } catch let error as StorageError {
            throw StorageError(code: error.code, message: "not a readable database: \(error.message)", context: context)
        }
        guard check.isHealthy else {
            throw StorageError(code: -1, message: "integrity check failed: \(check.integrity.joined(separator: "; "))", context: context)
        }
        let unknown = try RestoredSchema.unknownObjects(in: SQLiteDatabase(file: staged))
        guard unknown.isEmpty else {
            throw StorageError(code: -1, message: "it holds objects the host never makes: \(unknown.joined(separator: ", "))", context: context)
        }
        var replacedCopy: URL?
        if FileManager.default.fileExists(atPath: databaseFile.path) {
            replacedCopy = try create(from: SQLiteDatabase(file: databaseFile), named: Self.replacedPrefix, at: Date()).file
        }
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databaseFile.path + suffix) }
        guard rename(staged.path, databaseFile.path) == 0 else {
            throw StorageError(code: -1, message: String(cString: strerror(errno)), context: "moving the restored database into place")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: databaseFile.path)
        return Restored(check: check, replacedCopy: replacedCopy)
    }

    /// Streams a backup back into a database file: frames opened (when encrypted), gzip inflated.
    private func expand(_ backup: URL, encrypted: Bool, into staged: URL, limit: Int) throws {
        let gzip = try GzipStream(.decompress)
        var opener = encrypted ? key.map { SealedChunks.Opener(key: $0.symmetricKey) } : nil
        var written = 0
        try Self.stream(from: backup, to: staged) { input, output in
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                var bytes = Array(chunk)
                if opener != nil { bytes = try opener!.feed(bytes) }
                // Fed 1 KiB at a time: deflate inflates up to about 1,000 to 1, so no slice
                // can become more than a megabyte before the cap is checked.
                for start in stride(from: 0, to: bytes.count, by: 1024) {
                    let inflated = try gzip.process(Array(bytes[start..<min(start + 1024, bytes.count)]))
                    written += inflated.count
                    guard written <= limit else {
                        throw StorageError(code: -1, message: "it inflates past \(limit >> 20) MiB, \(maxExpansion) times its size: not a backup this host made",
                                           context: "decompressing a backup")
                    }
                    try output.write(contentsOf: inflated)
                }
            }
        }
        try opener?.finish()
        guard gzip.finished else {
            throw StorageError(code: -1, message: "the compressed data ends early: the backup is truncated", context: "decompressing a backup")
        }
    }

    /// Opens `source` for reading and creates `destination` (mode 0600) for writing, for `body`.
    private static func stream(from source: URL, to destination: URL, _ body: (FileHandle, FileHandle) throws -> Void) throws {
        guard FileManager.default.createFile(atPath: destination.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw StorageError(code: -1, message: "cannot create \(destination.path)", context: "writing \(destination.lastPathComponent)")
        }
        let input = try FileHandle(forReadingFrom: source)
        defer { try? input.close() }
        let output = try FileHandle(forWritingTo: destination)
        defer { try? output.close() }
        try body(input, output)
    }

    private static func sha256(of file: URL, context: String) throws -> String {
        guard let input = try? FileHandle(forReadingFrom: file) else {
            throw StorageError(code: -1, message: "cannot read the file", context: context)
        }
        defer { try? input.close() }
        var hasher = SHA256()
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hex(hasher.finalize())
    }

    /// The backups in the directory, newest first.
    public func existing() -> [URL] {
        existing(Self.backupPrefix)
    }

    /// The files named `<prefix>-<time>.sqlite3.gz[.enc]`, newest first.
    private func existing(_ prefix: String) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasPrefix(prefix + "-") && ($0.hasSuffix(".gz") || $0.hasSuffix(".gz.enc")) }
            .sorted(by: >).map { directory.appendingPathComponent($0) }
    }

    private func prune(_ prefix: String, now: Date) throws -> [URL] {
        let backups = existing(prefix)
        var pruned: [URL] = []
        for (index, backup) in backups.enumerated() where index > 0 {
            let stamp = backup.lastPathComponent.dropFirst(prefix.count + 1).prefix("yyyyMMdd-HHmmss".count)
            let created = Self.timestampFormatter.date(from: String(stamp)) ?? now
            if index >= keepCount || now.timeIntervalSince(created) > Double(keepDays) * 86_400 {
                try FileManager.default.removeItem(at: backup)
                try? FileManager.default.removeItem(at: Self.checksumFile(for: backup))
                pruned.append(backup)
            }
        }
        return pruned
    }

    /// Backup names carry their UTC creation time, which orders them and ages them.
    private static var timestampFormatter: DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter
    }

    static func checksumFile(for backup: URL) -> URL {
        backup.deletingLastPathComponent().appendingPathComponent(backup.lastPathComponent + ".sha256")
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    private static func removeDatabaseFiles(_ file: URL) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file.path + suffix) }
    }
}

/// A 32-byte AES-256-GCM key for backups. It prints as `***`.
public struct BackupKey: Sendable, CustomStringConvertible {
    private let bytes: [UInt8]

    /// Parses 64 hex digits or base64, as kept in `COGWHEEL_BACKUP_KEY`.
    public init(_ text: String) throws(StorageError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var bytes: [UInt8]?
        if trimmed.count == 64, trimmed.allSatisfy(\.isHexDigit) {
            bytes = stride(from: 0, to: 64, by: 2).map { offset in
                let start = trimmed.index(trimmed.startIndex, offsetBy: offset)
                return UInt8(trimmed[start..<trimmed.index(start, offsetBy: 2)], radix: 16)!
            }
        } else if let data = Data(base64Encoded: trimmed) {
            bytes = Array(data)
        }
        guard let bytes, bytes.count == 32 else {
            throw StorageError(code: -1, message: "the backup key must be 32 bytes, as 64 hex digits or base64",
                               context: "reading COGWHEEL_BACKUP_KEY")
        }
        self.bytes = bytes
    }

    var symmetricKey: SymmetricKey { SymmetricKey(data: bytes) }

    public var description: String { "***" }
}
