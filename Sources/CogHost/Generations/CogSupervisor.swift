import CogWire
import CHostSupport
import DiscordModels
import Foundation
import Logging
import Storage

/// Owns the cogs' lifecycle: loads, reloads and unloads as transactions, the autoload list,
/// the quarantine, and the count of mapped images.
///
/// All lifecycle changes go through this actor one at a time; routing reads the
/// ``RoutingTable`` without touching the actor.
public actor CogSupervisor {
    private let configuration: HostConfiguration
    private let loader: CogLoader
    private let table: RoutingTable
    private let stateStore: HostStateStore
    private let logger: Logger
    private let reservedCommands: Set<String>
    private let alerts: HostAlerts

    private var state: HostState
    private var generationNumbers: [String: Int] = [:]
    private var mappedImages: Set<String> = []
    private var lastErrors: [String: String] = [:]
    private var flightSlots: [String: UInt32] = [:]
    /// Publishes the command definitions after a change; `nil` when nothing is connected.
    private let commandSync: CommandSync?
    /// Set while the start-up autoload runs: the bot publishes everything once it connects,
    /// so loading each cog does not publish on its own.
    private var autoloading = false

    private let database: SQLiteDatabase
    private let services: CogServiceProviders
    private let sessionIntents: SessionIntents

    init(
        configuration: HostConfiguration, database: SQLiteDatabase, table: RoutingTable, state: HostState,
        sessionIntents: SessionIntents, stateStore: HostStateStore, reservedCommands: Set<String>, services: CogServiceProviders, alerts: HostAlerts,
        commandSync: CommandSync?, logger: Logger
    ) {
        self.commandSync = commandSync
        self.sessionIntents = sessionIntents
        self.services = services
        self.alerts = alerts
        self.configuration = configuration
        self.database = database
        self.loader = CogLoader(imagesDirectory: configuration.dataDirectory.appendingPathComponent("images"))
        self.table = table
        self.state = state
        self.stateStore = stateStore
        self.reservedCommands = reservedCommands
        self.logger = logger
    }

    /// Cog images mapped into this process (each costs memory; see ``restartRecommended``).
    public var imagesMapped: Int { mappedImages.count }

    /// Whether the process has mapped more images than the reload budget allows.
    public var restartRecommended: Bool { mappedImages.count > configuration.reloadBudget }

    /// The persisted state (autoload list, quarantine).
    public var hostState: HostState { state }

    /// Publishes every command definition the bot offers (the host's and the serving cogs')
    /// when they differ from the last sync, or always with `force`.
    ///
    /// - Returns: What was synced, or `nil` when this host publishes to nowhere.
    public func syncCommands(force: Bool) async throws -> CommandSync.Report? {
        guard let commandSync else { return nil }
        let plan = CommandPlan(host: HostCommands.definitions, cogs: servingCommands(),
                               operatorGuilds: configuration.operatorGuilds.map { Snowflake($0) }, defaultGuild: commandSync.defaultGuild)
        return try await commandSync.sync(plan, force: force)
    }

    /// Syncs after a load, unload or reload changed the definitions; a failure is logged, and
    /// the next change or `/sync` tries again.
    private func syncAfterChange() async {
        guard !autoloading else { return }
        do {
            _ = try await syncCommands(force: false)
        } catch {
            logger.error("could not sync commands after a change", metadata: ["error": "\(error)"])
        }
    }

    /// Loads cog `name` from the cogs directory.
    ///
    /// - Parameter persist: Add it to the autoload list and lift its quarantine (an admin's `/load`).
    @discardableResult
    public func load(_ name: String, persist: Bool) async throws(CogLoadError) -> Generation {
        guard table.generation(of: name) == nil else { throw .alreadyLoaded(cog: name) }
        let generation = try recordingErrors(of: name) { () throws(CogLoadError) -> Generation in
            let image = try prepare(name)
            try checkConflicts(image)
            try admitIntents(image)
            try admitSchema(image)
            return try makeGeneration(image, previousState: nil)
        }
        table.install(generation)
        bindJobs(of: generation.image)
        logger.notice("loaded cog", metadata: ["cog": "\(name)", "version": "\(generation.image.version)",
                                               "generation": "\(generation.number)"])
        if persist {
            var autoload = effectiveAutoload()
            if !autoload.contains(name) { autoload.append(name) }
            state.autoload = autoload
            state.quarantined[name] = nil
            persistState()
        }
        await syncAfterChange()
        return generation
    }

    /// Replaces the serving generation of `name` with a new build, as one transaction:
    /// prepare → validate → init (with the old state) → swap → drain → shut the old one down.
    /// Any failure before the swap leaves the old generation serving.
    public func reload(_ name: String) async throws(CogLoadError) -> ReloadReport {
        do {
            let report = try await swapGeneration(of: name)
            CommandMetrics.recordReload(cog: name, succeeded: true)
            return report
        } catch {
            CommandMetrics.recordReload(cog: name, succeeded: false)
            alerts.raise(.reloadFailed(cog: name, reason: error.description))
            throw error
        }
    }

    private func swapGeneration(of name: String) async throws(CogLoadError) -> ReloadReport {
        let started = ContinuousClock.now
        guard let old = table.generation(of: name) else { throw .notLoaded(cog: name) }
        let knownPaths = mappedImages
        let new = try recordingErrors(of: name) { () throws(CogLoadError) -> Generation in
            let image = try prepare(name)
            guard image.schemaVersion == old.image.schemaVersion else {
                throw .schemaChanged(cog: name, running: old.image.schemaVersion, new: image.schemaVersion)
            }
            try admitIntents(image)
            try checkConflicts(image)
            return try makeGeneration(image, previousState: try old.exportState())
        }
        table.install(new)
        bindJobs(of: new.image)
        let swapped = ContinuousClock.now
        let drained = await old.drain(timeout: configuration.drainTimeout)
        old.shutdown()
        let commandsChanged = new.image.manifest.commands != old.image.manifest.commands
        let report = ReloadReport(
            cog: name, fromGeneration: old.number, toGeneration: new.number,
            fromVersion: old.image.version, toVersion: new.image.version,
            timeToSwap: swapped - started, totalTime: ContinuousClock.now - started, drained: drained,
            commandsChanged: commandsChanged, sameBuild: knownPaths.contains(new.image.loadedPath),
            addedCapabilities: new.image.manifest.capabilities.filter { !old.image.manifest.capabilities.contains($0) }.sorted()
        )
        logger.notice("reloaded cog", metadata: [
            "cog": "\(name)", "from": "\(old.number)", "to": "\(new.number)",
            "swap_ms": "\(report.timeToSwap.milliseconds)", "drained": "\(drained)",
        ])
        if !drained {
            logger.warning("old generation still had calls after the drain timeout; abandoned (its image stays mapped)",
                           metadata: ["cog": "\(name)", "generation": "\(old.number)"])
        }
        if commandsChanged { await syncAfterChange() }
        return report
    }

    /// Stops serving cog `name`, drains and shuts it down.
    ///
    /// - Parameter persist: Remove it from the autoload list (an admin's `/unload`).
    public func unload(_ name: String, persist: Bool) async throws(CogLoadError) {
        guard let old = table.remove(cog: name) else { throw .notLoaded(cog: name) }
        services.jobs.unregister(cog: name)
        _ = await old.drain(timeout: configuration.drainTimeout)
        old.shutdown()
        logger.notice("unloaded cog", metadata: ["cog": "\(name)"])
        if persist {
            state.autoload = effectiveAutoload().filter { $0 != name }
            persistState()
        }
        await syncAfterChange()
    }

    /// Loads the autoload list in order. A cog that fails is reported and skipped.
    /// The cogs loaded at start-up: the persisted list, or the configured one before any change.
    public var autoloadList: [String] { effectiveAutoload() }

    public func autoload() async -> [AutoloadResult] {
        autoloading = true
        defer { autoloading = false }
        var results: [AutoloadResult] = []
        for name in effectiveAutoload() {
            if let reason = state.quarantined[name] {
                logger.warning("cog quarantined, not autoloaded; an admin can /load it", metadata: ["cog": "\(name)", "reason": "\(reason)"])
                results.append(.skippedQuarantined(name, reason: reason))
                continue
            }
            do {
                try await load(name, persist: false)
                results.append(.loaded(name))
            } catch {
                logger.error("cog failed to load; skipped", metadata: ["cog": "\(name)", "reason": "\(error)"])
                results.append(.failed(name, reason: error.description))
            }
        }
        return results
    }

    /// Quarantines cogs blamed for a crash so they are not autoloaded.
    func quarantine(_ cogs: [String], reason: String) {
        guard !cogs.isEmpty else { return }
        for cog in cogs { state.quarantined[cog] = reason }
        persistState()
    }

    /// Status of every cog that is loaded, listed for autoload, quarantined or failed.
    public func statuses() -> [CogStatus] {
        let serving = Dictionary(uniqueKeysWithValues: table.allGenerations().map { ($0.image.name, $0) })
        let names = Set(serving.keys).union(effectiveAutoload()).union(state.quarantined.keys).union(lastErrors.keys)
        return names.sorted().map { name in
            let generation = serving[name]
            return CogStatus(
                name: name, version: generation?.image.version, generation: generation?.number,
                loadedAt: generation?.loadedAt,
                commands: generation?.image.manifest.commands.map(\.name) ?? [],
                events: generation?.image.manifest.events ?? [],
                intents: generation?.image.manifest.gatewayIntents.documentedNames ?? [],
                capabilities: generation?.image.manifest.capabilities.sorted() ?? [],
                deniedCapabilities: (generation?.image.manifest.capabilities ?? []).filter {
                    CogCapability(rawValue: $0).map { configuration.capabilityDenials.denies($0, to: name) } ?? false
                }.sorted(),
                lastError: lastErrors[name], quarantine: state.quarantined[name]
            )
        }
    }

    /// The names of the cogs serving now, with their versions (`dice 1.2.0`), ordered by cog.
    public func servingCogs() -> [String] {
        table.allGenerations().map { "\($0.image.name) \($0.image.version)" }
    }

    /// The command definitions of every serving generation, ordered by cog.
    public func servingCommands() -> [ApplicationCommand] {
        table.allGenerations().flatMap(\.image.manifest.commands)
    }

    /// Stops every generation (graceful shutdown).
    public func shutdownAll() async {
        for generation in table.allGenerations() {
            _ = table.remove(cog: generation.image.name)
            services.jobs.unregister(cog: generation.image.name)
            _ = await generation.drain(timeout: configuration.drainTimeout)
            generation.shutdown()
        }
    }

    /// The autoload list: persisted, else configured, else every cog in the cogs directory.
    func effectiveAutoload() -> [String] {
        if let persisted = state.autoload { return persisted }
        if let configured = configuration.autoload { return configured }
        return CogDiscovery.cogNames(in: configuration.cogsDirectory)
    }

    private func prepare(_ name: String) throws(CogLoadError) -> CogImage {
        let image = try loader.prepare(cog: name, libraryAt: configuration.libraryPath(forCog: name))
        mappedImages.insert(image.loadedPath)
        return image
    }

    /// Refuses a cog that needs an intent the running gateway session lacks: intents change
    /// only with a new IDENTIFY, which a restart does (with the union of the autoloaded cogs').
    private func admitIntents(_ image: CogImage) throws(CogLoadError) {
        let missing = sessionIntents.missing(from: image.manifest.gatewayIntents)
        guard missing.isEmpty else { throw .intentsMissing(cog: image.name, intents: missing.documentedNames) }
    }

    /// The intents each serving cog needs.
    nonisolated func servingIntents() -> [(cog: String, intents: GatewayIntents)] {
        table.allGenerations().map { ($0.image.name, $0.image.manifest.gatewayIntents) }
    }

    /// Admits the cog's schema: equal to the recorded version, or newer with no SQL to run
    /// (the version is recorded). A build older than the database is refused: its tables were
    /// shaped by a newer build, and running older code on them could lose data. Migrations that
    /// need SQL run only at start-up (``StartupMigrations``).
    private func admitSchema(_ image: CogImage) throws(CogLoadError) {
        let schema = SchemaMigrator.forCog(image.name, schemaVersion: Int(image.schemaVersion), migrations: image.migrations)
        do {
            let recorded = try schema.recordedVersion(in: database)
            if recorded > Int(image.schemaVersion) {
                throw CogLoadError.schemaDowngrade(cog: image.name, recorded: UInt32(recorded), declared: image.schemaVersion)
            }
            guard recorded < Int(image.schemaVersion) else { return }
            guard !image.migrations.contains(where: { $0.version > recorded }) else {
                throw CogLoadError.migrationPending(cog: image.name, recorded: UInt32(recorded), declared: image.schemaVersion)
            }
            try schema.migrate(database)
        } catch let error as CogLoadError {
            throw error
        } catch {
            throw .storageFailed(cog: image.name, reason: "\(error)")
        }
    }

    /// The images of the cogs start-up will autoload (not quarantined, and loadable), for
    /// ``StartupMigrations``. A cog that cannot be prepared is left for autoload to report.
    func imagesToMigrate() -> [CogImage] {
        effectiveAutoload().filter { state.quarantined[$0] == nil }.compactMap { try? prepare($0) }
    }

    private func checkConflicts(_ image: CogImage) throws(CogLoadError) {
        for command in image.manifest.commands {
            if reservedCommands.contains(command.name) {
                throw .commandConflict(cog: image.name, command: command.name, owner: "the host")
            }
            if let owner = table.owner(ofCommand: command.name), owner != image.name {
                throw .commandConflict(cog: image.name, command: command.name, owner: "cog \(owner)")
            }
        }
    }

    /// Points the cog's jobs at the cog (their next runs call whichever generation serves it).
    /// The definitions were checked when the image was prepared.
    private func bindJobs(of image: CogImage) {
        do {
            try services.jobs.register(cog: image.name, jobs: image.manifest.jobDefinitions())
        } catch {
            logger.error("could not schedule the cog's jobs", metadata: ["cog": "\(image.name)", "error": "\(error)"])
        }
    }

    private func makeGeneration(_ image: CogImage, previousState: [UInt8]?) throws(CogLoadError) -> Generation {
        let number = (generationNumbers[image.name] ?? 0) + 1
        let generation = try Generation(image: image, number: number, flightSlot: flightSlot(for: image.name),
                                        previousState: previousState, storage: CogStore(cog: image.name, database: database,
                                                                  budgets: configuration.sqlBudgets.budgets(for: image.name)),
                                        providers: services, logger: logger)
        generationNumbers[image.name] = number
        return generation
    }

    private func flightSlot(for cog: String) -> UInt32 {
        if let slot = flightSlots[cog] { return slot }
        let slot = UInt32(flightSlots.count)
        flightSlots[cog] = slot
        fr_assign_slot(slot, cog)
        return slot
    }

    private func recordingErrors<T>(of cog: String, _ body: () throws(CogLoadError) -> T) throws(CogLoadError) -> T {
        do {
            let value = try body()
            lastErrors[cog] = nil
            return value
        } catch {
            lastErrors[cog] = error.description
            logger.error("cog change refused", metadata: ["cog": "\(cog)", "reason": "\(error)"])
            throw error
        }
    }

    private func persistState() {
        do {
            try stateStore.write(state)
        } catch {
            logger.error("could not save the host state", metadata: ["file": "\(stateStore.file.path)", "error": "\(error)"])
        }
    }
}

/// Finds built cogs: every `lib<name>.so` in a directory, sorted by name.
enum CogDiscovery {
    static func cogNames(in directory: URL) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.compactMap { file -> String? in
            guard file.hasPrefix("lib"), file.hasSuffix(".so") else { return nil }
            let name = String(file.dropFirst(3).dropLast(3))
            return CogName.isValid(name) ? name : nil
        }.sorted()
    }
}
