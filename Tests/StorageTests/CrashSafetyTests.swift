import CogwheelTestSupport
import Foundation
import Storage
import Testing

@Suite("Crash safety and backups under load")
struct CrashSafetyTests {
    @Test("kill -9 in the middle of heavy writes: the database reopens intact with every acknowledged transaction")
    func killDuringWrites() throws {
        let file = StorageTests.temporaryFile()
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let writer = Process()
        writer.executableURL = BuiltCogs.binDirectory.appendingPathComponent("StorageCrashWriter")
        writer.arguments = [file.path]
        let output = Pipe()
        writer.standardOutput = output
        try writer.run()

        var printed = Data()
        let deadline = Date().addingTimeInterval(60)
        while Self.acknowledged(printed).count < 2_000, writer.isRunning, Date() < deadline {
            printed.append(output.fileHandleForReading.availableData)
        }
        kill(writer.processIdentifier, SIGKILL)
        writer.waitUntilExit()
        printed.append(output.fileHandleForReading.readDataToEndOfFile())
        #expect(writer.terminationReason == .uncaughtSignal)
        let acknowledged = Self.acknowledged(printed)
        try #require(acknowledged.count >= 2_000, "the writer acknowledged only \(acknowledged.count) transactions")

        let database = try SQLiteDatabase(file: file)
        #expect(try DatabaseCheck(database).isHealthy)
        let newest = try #require(acknowledged.last)
        let present = try database.query("SELECT count(*) AS n FROM stress__rows WHERE id <= ?", [.integer(newest)])
        #expect(present.first?["n"] == .integer(newest), "every acknowledged row survived")
        let last = try CogStore(cog: "stress", database: database).value(for: "last", at: .global)
        #expect(Int64(String(decoding: last ?? [], as: UTF8.self)) ?? 0 >= newest)
    }

    @Test("a backup taken while a writer commits is consistent, and has everything committed before it began")
    func backupDuringWrites() async throws {
        let file = StorageTests.temporaryFile()
        let database = try SQLiteDatabase(file: file)
        try database.execute("CREATE TABLE probe__events (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)")
        try database.execute("""
            WITH RECURSIVE ids(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM ids WHERE id < 20000)
            INSERT INTO probe__events SELECT id, randomblob(1000) FROM ids
            """)
        let writing = Task.detached {
            var id: Int64 = 20_000
            while !Task.isCancelled {
                id += 1
                try database.execute("INSERT INTO probe__events VALUES (?, randomblob(1000))", [.integer(id)])
            }
            return id
        }
        while try database.query("SELECT max(id) AS top FROM probe__events").first?["top"].integer ?? 0 < 20_100 {
            try await Task.sleep(for: .milliseconds(5))
        }
        let backups = DatabaseBackup(directory: file.deletingLastPathComponent().appendingPathComponent("backups"))
        let made = try backups.create(from: database)
        writing.cancel()
        let written = try await writing.value
        #expect(written > 20_100, "the writer kept committing during the backup")

        let restoredFile = file.deletingLastPathComponent().appendingPathComponent("restored.sqlite3")
        let restored = try backups.restore(made.file, into: restoredFile)
        #expect(restored.check.isHealthy)
        let copy = try SQLiteDatabase(file: restoredFile)
        let count = try #require(try copy.query("SELECT count(*) AS n, max(id) AS top FROM probe__events").first)
        #expect(count["n"].integer ?? 0 >= 20_100)
        #expect(count["n"] == count["top"], "the copy has no gaps: one consistent state")
    }

    private static func acknowledged(_ data: Data) -> [Int64] {
        let text = String(decoding: data, as: UTF8.self)
        // Only whole lines count: a line cut off by the kill was never acknowledged.
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().compactMap { Int64($0) }
    }
}
