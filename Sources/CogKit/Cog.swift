/// A feature of the bot, built as a shared library and loaded by the Cogwheel host.
///
/// A cog declares its identity and its commands statically, so the host can read them before
/// creating an instance. Each load or reload creates one instance (a *generation*) with
/// ``init(setup:)``; handlers receive that instance, so state kept in it lives as long as the
/// generation. State that must survive a reload is handed over with ``exportState()`` and
/// ``CogSetup/previousState``.
///
/// ```swift
/// import CogKit
///
/// struct Greeter: Cog {
///     static let name = "greeter"
///     static let version = "1.0.0"
///     static var commands: [Command<Greeter>] {
///         [
///             Command("hello", "Say hello") { _, context in
///                 .message("Hello, \(context.user.displayName)!")
///             },
///         ]
///     }
///     init(setup: CogSetup) {}
/// }
///
/// @_cdecl("cog_entry")
/// public func cogEntry() -> UnsafeRawPointer { exportCog(Greeter.self) }
/// ```
///
/// Rules that keep hot reload safe: keep all state inside the instance (no globals that other
/// generations could see), add no retroactive conformances, and never look types up by name.
public protocol Cog: Sendable {
    /// The cog's name: 1–32 characters of `a-z`, `0-9`, `_` and `-`, equal to the product name.
    static var name: String { get }
    /// A version string shown to admins in `/cogs`, e.g. `"1.2.0"`.
    static var version: String { get }
    /// The version of the cog's database schema. Changing it needs a restart, not a reload.
    static var schemaVersion: Int { get }
    /// The steps that build the cog's tables, oldest first (see ``SchemaMigration``). The host
    /// runs the pending ones at start-up, after a backup.
    static var migrations: [SchemaMigration] { get }
    /// The commands this cog offers, slash and context-menu. The host syncs them with Discord.
    static var commands: [Command<Self>] { get }
    /// Handlers for the cog's buttons, select menus and modals (see ``Action``).
    static var actions: [Action<Self>] { get }
    /// The cog's scheduled jobs (see ``Job``).
    static var jobs: [Job<Self>] { get }
    /// The cog's gateway event handlers (see ``Listener``); the host derives intents from them.
    static var listeners: [Listener<Self>] { get }
    /// Intents beyond those the listeners imply (see ``Intent``): `.messageContent` to read text.
    static var intents: [Intent] { get }
    /// Whether the listeners hear the bot's own messages and reactions too (`false` by default).
    static var hearsOwnMessages: Bool { get }
    /// What the cog does on Discord through ``DiscordClient`` (see ``Capability``): a call
    /// outside them is refused. None by default; answering interactions needs none.
    static var capabilities: [Capability] { get }

    /// Creates one generation of the cog. Throwing refuses the load or reload; the previous
    /// generation (if any) keeps serving and the admin sees the error.
    init(setup: CogSetup) throws

    /// State handed to the next generation on reload (see ``CogSetup/previousState``).
    func exportState() throws -> [UInt8]
}

extension Cog {
    /// The newest migration's version, or 1 for a cog without tables.
    public static var schemaVersion: Int { max(1, migrations.last?.version ?? 1) }

    /// No tables of its own by default.
    public static var migrations: [SchemaMigration] { [] }

    /// No components or modals by default.
    public static var actions: [Action<Self>] { [] }

    /// No scheduled jobs by default.
    public static var jobs: [Job<Self>] { [] }

    /// No gateway events by default.
    public static var listeners: [Listener<Self>] { [] }

    /// No intents beyond the listeners' by default.
    public static var intents: [Intent] { [] }

    /// The bot's own messages are not delivered by default.
    public static var hearsOwnMessages: Bool { false }

    /// No Discord actions beyond answering interactions by default.
    public static var capabilities: [Capability] { [] }

    /// The dispatch names the listeners hear, once each, in declaration order.
    static var listenedEvents: [String] {
        var seen: Set<String> = []
        return listeners.flatMap(\.events).filter { seen.insert($0).inserted }
    }

    /// By default a cog hands nothing over on reload.
    public func exportState() throws -> [UInt8] { [] }
}
