import Foundation
import Logging
import ServiceLifecycle

/// Watch mode: rebuilds a cog when its sources change and reloads it through the same
/// transactional reload as `/reload`. A failed build or a refused reload is reported and the
/// running generation keeps serving.
///
/// ```swift
/// let watcher = CogWatcher(supervisor: host.supervisor, watched: [.init(cog: "dice", sources: diceFolder)],
///                          build: { cog in try builder.build(cog) }, report: { print($0) })
/// try await ServiceGroup(services: [host, watcher], logger: logger).run()
/// ```
public struct CogWatcher: Service {
    /// One cog and the folder whose files make it.
    public struct Watched: Sendable {
        public let cog: String
        public let sources: URL

        public init(cog: String, sources: URL) {
            self.cog = cog
            self.sources = sources
        }
    }

    /// Builds a cog and installs the result where the host loads cogs from; throws with the
    /// compiler's complaint when the build fails.
    public typealias Build = @Sendable (_ cog: String) async throws -> Void

    let supervisor: CogSupervisor
    let watched: [Watched]
    let initialBuilds: [String]
    let build: Build
    let report: @Sendable (String) -> Void
    let interval: Duration

    /// - Parameters:
    ///   - initialBuilds: Cogs to build and load before watching (a cog package not installed yet).
    ///   - interval: How often the sources are looked at (polling keeps this portable and cheap
    ///     for a few folders).
    public init(supervisor: CogSupervisor, watched: [Watched], initialBuilds: [String] = [], interval: Duration = .seconds(1),
                build: @escaping Build, report: @escaping @Sendable (String) -> Void) {
        self.supervisor = supervisor
        self.watched = watched
        self.initialBuilds = initialBuilds
        self.interval = interval
        self.build = build
        self.report = report
    }

    /// Watches until a graceful shutdown or cancellation.
    public func run() async throws {
        var fingerprints = Dictionary(uniqueKeysWithValues: watched.map { ($0.cog, Self.fingerprint(of: $0.sources)) })
        for cog in initialBuilds { await rebuild(cog, reason: "first build") }
        report("watching " + watched.map { "\($0.cog) (\($0.sources.path))" }.joined(separator: ", "))
        while true {
            await sleepUnlessShuttingDown(for: interval)
            if Task.isCancelled || Task.isShuttingDownGracefully { return }
            for entry in watched {
                let now = Self.fingerprint(of: entry.sources)
                guard now != fingerprints[entry.cog] else { continue }
                fingerprints[entry.cog] = now
                await rebuild(entry.cog, reason: "changed")
                // Files saved during the build start another round.
                fingerprints[entry.cog] = Self.fingerprint(of: entry.sources)
            }
        }
    }

    /// Builds and reloads (or loads, when it is not serving) one cog, reporting the outcome.
    public func rebuild(_ cog: String, reason: String) async {
        report("⟳ \(cog) \(reason): building…")
        do {
            try await build(cog)
        } catch {
            report("✗ \(cog): the build failed; the running generation keeps serving\n\(error)")
            return
        }
        do {
            if await supervisor.statuses().contains(where: { $0.name == cog && $0.isLoaded }) {
                let reload = try await supervisor.reload(cog)
                report("✓ reloaded \(cog): generation \(reload.fromGeneration) → \(reload.toGeneration), "
                    + "v\(reload.toVersion), swapped in \(reload.timeToSwap.milliseconds) ms")
            } else {
                let generation = try await supervisor.load(cog, persist: false)
                report("✓ loaded \(cog): generation \(generation.number)")
            }
        } catch {
            report("✗ \(cog): \(error.description); the running generation keeps serving")
        }
    }

    /// Paths, sizes and modification times of the source files under `folder`.
    static func fingerprint(of folder: URL) -> [String: String] {
        var result: [String: String] = [:]
        guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.contentModificationDateKey, .fileSizeKey],
                                                         options: [.skipsHiddenFiles]) else { return result }
        for case let file as URL in files where ["swift", "c", "h"].contains(file.pathExtension) {
            let values = try? file.resourceValues(forKeys: [.contentModificationDateKey, .fileSizeKey])
            result[file.path] = "\(values?.contentModificationDate?.timeIntervalSince1970 ?? 0)/\(values?.fileSize ?? 0)"
        }
        return result
    }
}
