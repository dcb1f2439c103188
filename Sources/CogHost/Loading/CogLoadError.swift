/// Why a cog could not be loaded, reloaded or unloaded. Every case says what to do next.
public enum CogLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    case libraryNotFound(cog: String, path: String)
    case copyFailed(cog: String, reason: String)
    case dlopenFailed(cog: String, reason: String)
    case missingEntrySymbol(cog: String, path: String)
    case abiMismatch(cog: String, found: UInt32, supported: UInt32)
    case structTooSmall(cog: String, found: UInt32, required: UInt32)
    case compilerMismatch(cog: String, cogCompiler: String, hostCompiler: String)
    case nameMismatch(file: String, declared: String)
    case invalidManifest(cog: String, problem: ManifestProblem)
    case commandConflict(cog: String, command: String, owner: String)
    case initFailed(cog: String, reason: String)
    case schemaChanged(cog: String, running: UInt32, new: UInt32)
    /// The build listens to events whose intents the running gateway session did not ask for.
    case intentsMissing(cog: String, intents: [String])
    case schemaDowngrade(cog: String, recorded: UInt32, declared: UInt32)
    case storageFailed(cog: String, reason: String)
    case invalidMigrations(cog: String, problem: String)
    case migrationPending(cog: String, recorded: UInt32, declared: UInt32)
    case alreadyLoaded(cog: String)
    case notLoaded(cog: String)
    case invalidName(String)

    public var description: String {
        switch self {
        case .libraryNotFound(let cog, let path):
            "cog \(cog): no library at \(path); build it with `cogwheel cogs build \(cog)`"
        case .copyFailed(let cog, let reason):
            "cog \(cog): could not copy the library for loading: \(reason)"
        case .dlopenFailed(let cog, let reason):
            "cog \(cog): the library could not be loaded: \(reason)"
        case .missingEntrySymbol(let cog, let path):
            "cog \(cog): \(path) does not export `cog_entry`; is it a cog built against cog_abi.h?"
        case .abiMismatch(let cog, let found, let supported):
            "cog \(cog): built for cog ABI version \(found), this host supports version \(supported); rebuild the cog against this host's CogKit"
        case .structTooSmall(let cog, let found, let required):
            "cog \(cog): its descriptor is \(found) bytes, ABI version 1 needs at least \(required); rebuild the cog"
        case .compilerMismatch(let cog, let cogCompiler, let hostCompiler):
            "cog \(cog): built with a different Swift toolchain (\(cogCompiler)) than the host (\(hostCompiler)); Swift has no stable ABI on Linux, so rebuild the cog with the host's toolchain"
        case .nameMismatch(let file, let declared):
            "library \(file) declares the cog name '\(declared)'; the file must be named lib\(declared).so"
        case .invalidManifest(let cog, let problem):
            "cog \(cog): invalid command manifest: \(problem)"
        case .commandConflict(let cog, let command, let owner):
            "cog \(cog): command /\(command) is already provided by \(owner)"
        case .initFailed(let cog, let reason):
            "cog \(cog): initialisation failed: \(reason)"
        case .schemaChanged(let cog, let running, let new):
            "cog \(cog): schema version \(running) → \(new) needs a full restart: restart the host, which backs up the database, migrates, then serves this build"
        case .intentsMissing(let cog, let intents):
            "cog \(cog) needs the \(intents.joined(separator: " and ")) intent\(intents.count > 1 ? "s" : ""): restart to apply (the gateway session identified without \(intents.count > 1 ? "them" : "it"); privileged intents must also be enabled in the Developer Portal)"
        case .schemaDowngrade(let cog, let recorded, let declared):
            "cog \(cog): this build declares schema version \(declared), but the database is at version \(recorded) from a newer build; install that build, or restore a backup made before it"
        case .storageFailed(let cog, let reason):
            "cog \(cog): the database could not record its schema version: \(reason)"
        case .invalidMigrations(let cog, let problem):
            "cog \(cog): invalid migrations: \(problem)"
        case .migrationPending(let cog, let recorded, let declared):
            "cog \(cog): its tables are at schema version \(recorded) and this build needs \(declared); restart the host, which backs up the database and migrates before loading it"
        case .alreadyLoaded(let cog):
            "cog \(cog) is already loaded; use /reload \(cog) to load a new build"
        case .notLoaded(let cog):
            "cog \(cog) is not loaded; use /load \(cog)"
        case .invalidName(let name):
            "'\(name)' is not a valid cog name (1–32 characters of a-z, 0-9, _ and -, without '__', which separates a cog's name from its tables')"
        }
    }
}
