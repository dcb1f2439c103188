import CCogABI
import CogHost
import DiscordModels
import Foundation
import Logging
import Storage
import Synchronization

/// Storage figures: key–value writes and reads through the cog ABI (against the same SQL run
/// directly on SQLite, in the same run), and the longest command stall while an online backup
/// of a large database runs (against the same command loop without a backup).
struct StorageBenchmark {
    let host: CogHost
    let operations: Int
    let backupMegabytes: Int
    let logger: Logger

    func run() async throws -> [BenchmarkRow] {
        try await withThrowingTaskGroup(of: Void.self) { group in
            // The host's background work (WAL checkpoints, maintenance), as in a running bot.
            group.addTask { try await host.run() }
            let rows = try keyValue() + (try await backupStall())
            group.cancelAll()
            return rows
        }
    }

    // MARK: Key–value through the ABI

    private func keyValue() throws -> [BenchmarkRow] {
        let table = CogServicesTable.make(cog: "bench", database: host.database, logger: logger).pointee
        let value = Array(#"{"xp":1234,"level":4,"badges":["early","helpful"]}"#.utf8)
        var location = cog_kv_location(scope: Int32(COG_KV_MEMBER.rawValue), first_id: 1, second_id: 0)
        var out = cog_buffer(data: nil, length: 0)
        let key = "profile"

        let writes = try rate(operations) { index in
            location.second_id = UInt64(index + 1)
            let status = table.kv_set(table.host_ctx, &location, key, key.utf8.count, value, value.count, &out)
            try check(status, &out, table)
        }
        let reads = try rate(operations) { index in
            location.second_id = UInt64(index % operations + 1)
            let status = table.kv_get(table.host_ctx, &location, key, key.utf8.count, &out)
            try check(status, &out, table)
        }
        let readsTwoThreads = try concurrentReads(table: table, key: key)

        // The same upsert and select straight on SQLite: what the ABI, the checks and the
        // copies add on top.
        let database = host.database
        try database.execute("CREATE TABLE IF NOT EXISTS bench_direct (first INTEGER, second INTEGER, key TEXT, value BLOB, PRIMARY KEY (first, second, key)) WITHOUT ROWID")
        let directWrites = try rate(operations) { index in
            try database.execute("""
                INSERT INTO bench_direct VALUES (?, ?, ?, ?) ON CONFLICT (first, second, key) DO UPDATE SET value = excluded.value
                """, [.integer(1), .integer(Int64(index + 1)), .text(key), .blob(value)])
        }
        let directReads = try rate(operations) { index in
            _ = try database.read {
                try $0.query("SELECT value FROM bench_direct WHERE first = ? AND second = ? AND key = ?",
                             [.integer(1), .integer(Int64(index % operations + 1)), .text(key)])
            }
        }
        return [
            BenchmarkRow(label: "key-value writes through the ABI (one transaction each)", value: writes, unit: "writes/s"),
            BenchmarkRow(label: "key-value reads through the ABI", value: reads, unit: "reads/s"),
            BenchmarkRow(label: "key-value reads through the ABI, 2 threads", value: readsTwoThreads, unit: "reads/s"),
            BenchmarkRow(label: "same upsert straight on SQLite (baseline)", value: directWrites, unit: "writes/s"),
            BenchmarkRow(label: "same select straight on SQLite (baseline)", value: directReads, unit: "reads/s"),
            BenchmarkRow(label: "ABI writes vs baseline", value: writes / directWrites, unit: "×"),
            BenchmarkRow(label: "ABI reads vs baseline", value: reads / directReads, unit: "×"),
        ]
    }

    private func check(_ status: Int32, _ out: inout cog_buffer, _ table: cog_host_api) throws {
        if out.data != nil {
            table.release_buffer(table.host_ctx, out)
            out = cog_buffer(data: nil, length: 0)
        }
        guard status == Int32(COG_OK.rawValue) else { throw BenchmarkError("storage call failed with status \(status)") }
    }

    private func rate(_ count: Int, _ body: (Int) throws -> Void) throws -> Double {
        let started = ContinuousClock.now
        for index in 0..<count { try body(index) }
        return Double(count) / ((ContinuousClock.now - started).milliseconds / 1000)
    }

    private func concurrentReads(table: cog_host_api, key: String) throws -> Double {
        let failures = Atomic<Int>(0)
        let perThread = operations
        let shared = ThreadSafeTable(api: table)
        let started = ContinuousClock.now
        DispatchQueue.concurrentPerform(iterations: 2) { thread in
            var location = cog_kv_location(scope: Int32(COG_KV_MEMBER.rawValue), first_id: 1, second_id: 0)
            var out = cog_buffer(data: nil, length: 0)
            for index in 0..<perThread {
                location.second_id = UInt64((index + thread * 7) % perThread + 1)
                let status = shared.api.kv_get(shared.api.host_ctx, &location, key, key.utf8.count, &out)
                if out.data != nil { shared.api.release_buffer(shared.api.host_ctx, out) }
                if status != Int32(COG_OK.rawValue) { failures.add(1, ordering: .relaxed) }
            }
        }
        let elapsed = (ContinuousClock.now - started).milliseconds / 1000
        guard failures.load(ordering: .relaxed) == 0 else { throw BenchmarkError("concurrent reads failed") }
        return Double(2 * perThread) / elapsed
    }

    /// The host's table, used from several threads.
    private struct ThreadSafeTable: @unchecked Sendable {
        // @unchecked: every entry of cog_host_api is thread-safe by contract (cog_abi.h).
        let api: cog_host_api
    }

    // MARK: Command stall during a backup

    private func backupStall() async throws -> [BenchmarkRow] {
        try fill(megabytes: backupMegabytes)
        var factory = InteractionFactory(applicationID: 1)
        let definitions = await host.commandDefinitions()
        var nextUser: UInt64 = 1_000_000
        func checkin() throws -> [UInt8] {
            nextUser += 1
            return try factory.command(line: "/checkin", definitions: definitions,
                                       as: InteractionFactory.Invoker(id: nextUser, username: "bench"), guildID: 1, channelID: 2)
        }

        let quietEnd = ContinuousClock.now + .seconds(2)
        var quiet: [Double] = []
        while ContinuousClock.now < quietEnd { quiet.append(try await timedCommand(try checkin())) }

        let done = Atomic<Bool>(false)
        let backups = host.configuration.backups
        let database = host.database
        let started = ContinuousClock.now
        let backup = Task.detached {
            defer { done.store(true, ordering: .releasing) }
            return try await BlockingWork.run("bench-backup") { try backups.create(from: database) }
        }
        var during: [Double] = []
        while !done.load(ordering: .acquiring) { during.append(try await timedCommand(try checkin())) }
        let made = try await backup.value
        let seconds = (ContinuousClock.now - started).milliseconds / 1000
        try? FileManager.default.removeItem(at: made.file)

        let size = "\(backupMegabytes) MB"
        return [
            BenchmarkRow(label: "online backup of a \(size) database (copy, integrity check, gzip)", value: seconds, unit: "s"),
            BenchmarkRow(label: "/checkin without a backup: p50", value: quiet.quantile(0.5), unit: "ms"),
            BenchmarkRow(label: "/checkin without a backup: p99", value: quiet.quantile(0.99), unit: "ms"),
            BenchmarkRow(label: "/checkin without a backup: longest", value: quiet.max() ?? .nan, unit: "ms"),
            BenchmarkRow(label: "/checkin during the \(size) backup: p50", value: during.quantile(0.5), unit: "ms"),
            BenchmarkRow(label: "/checkin during the \(size) backup: p99", value: during.quantile(0.99), unit: "ms"),
            BenchmarkRow(label: "/checkin during the \(size) backup: longest stall", value: during.max() ?? .nan, unit: "ms"),
            BenchmarkRow(label: "/checkin commands answered during the backup", value: Double(during.count), unit: "commands"),
        ]
    }

    /// One `/checkin` through the router, timed; it must be answered.
    private func timedCommand(_ payload: [UInt8]) async throws -> Double {
        let responder = CountingResponder()
        let started = ContinuousClock.now
        await host.router.handle(interaction: payload, responder: responder)
        let elapsed = (ContinuousClock.now - started).milliseconds
        guard responder.count == 1 else { throw BenchmarkError("a /checkin went unanswered") }
        try await Task.sleep(for: .milliseconds(1))
        return elapsed
    }

    /// Grows the database to about `megabytes` MB of rows a quarter random, three quarters
    /// zeros (so it compresses about as well as real bot data), 100 MB per transaction.
    private func fill(megabytes: Int) throws {
        let database = host.database
        try database.execute("CREATE TABLE IF NOT EXISTS bench__blobs (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)")
        let existing = try database.query("SELECT count(*) AS n FROM bench__blobs").first?["n"].integer ?? 0
        let wanted = Int64(megabytes) * 256
        var next = existing
        while next < wanted {
            let last = min(wanted, next + 25_600)
            try database.execute("""
                WITH RECURSIVE ids(id) AS (SELECT ? UNION ALL SELECT id + 1 FROM ids WHERE id < ?)
                INSERT INTO bench__blobs SELECT id, randomblob(1024) || zeroblob(3072) FROM ids
                """, [.integer(next + 1), .integer(last)])
            next = last
        }
        _ = try database.query("PRAGMA wal_checkpoint(TRUNCATE)")
    }
}
