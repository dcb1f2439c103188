import CogHost
import DiscordModels
import Foundation
import Logging
import Storage
import Synchronization

/// A real Cogwheel host in a temporary directory, serving one cog, for the cog's own tests:
/// no Discord, no token, no network.
///
/// The cog is the built `lib<name>.so`, loaded exactly as the bot loads it (`dlopen` through
/// the C ABI, manifest checks, migrations, the router with its cooldowns and permissions), so
/// a test that passes here passes in the bot.
///
/// ```swift
/// import CogKitTesting
/// import Testing
///
/// @Test func rollsDice() async throws {
///     let bot = try await CogTestHost.start(cog: "dice")
///     let reply = try await bot.run("/roll dice:2d6")
///     #expect(reply.text.contains("rolled"))
///     #expect(try await bot.run("/roll dice:banana").isEphemeral)
///     try bot.query("SELECT count(*) FROM sqlite_master")   // the cog's tables, if any
///     await bot.stop()
/// }
/// ```
///
/// Components, modals and context menus (``click(_:in:as:guild:)``, ``submit(_:values:as:guild:)``,
/// ``runUserCommand(_:on:as:guild:)``), the messages a cog posts itself (``postedMessages``,
/// ``restCalls``), gateway events for listeners (``memberJoins(_:roles:guild:)``,
/// ``say(_:as:channel:guild:)``, ``react(_:to:as:channel:guild:)``, ``fire(_:payload:)-(String,String)``)
/// and a virtual clock for jobs and cooldowns (``advanceClock(by:)``) are in the same host:
/// nothing reaches Discord.
///
/// By default the library is looked for next to the running test binary (SwiftPM builds the
/// package's dynamic library products there: `.build/debug/lib<name>.so`), or in the
/// `COGWHEEL_TEST_BIN_DIR` directory when that variable is set.
public final class CogTestHost: Sendable {
    /// The cog under test.
    public let cog: String
    /// The host's data directory (database, installed cogs); removed by ``stop()``.
    public let directory: URL
    let host: CogHost
    let source: InProcessEventSource
    let factory: Mutex<InteractionFactory>
    /// The last id given to a message made up by ``say(_:as:channel:guild:)``.
    let eventIDs: Mutex<UInt64>
    private let clock: HostClock
    let discord: RecordingDiscord
    /// The host's own work (service calls), owned here and cancelled by ``stop()``.
    private let hostWork: Task<Void, any Error>

    /// The guild commands run in unless a test says otherwise.
    public static let defaultGuild: UInt64 = 900_000_000_000_000_001
    /// The channel commands run in.
    public static let defaultChannel: UInt64 = 900_000_000_000_000_002
    /// Where the virtual clock starts: Monday 5 January 2026, 08:00 UTC.
    public static let defaultStart = Date(timeIntervalSince1970: 1_767_600_000)

    private init(cog: String, directory: URL, host: CogHost, clock: HostClock, discord: RecordingDiscord) {
        self.cog = cog
        self.directory = directory
        self.host = host
        self.clock = clock
        self.discord = discord
        source = InProcessEventSource(router: host.router)
        // Ids minted at the virtual clock's start, as Discord mints them at the time: a cog that
        // reads an id's age (Discord bulk deletes only messages under 14 days old) sees the harness's time.
        let minted = Snowflake(date: clock.now()).rawValue
        factory = Mutex(InteractionFactory(applicationID: 1_100_000_000_000_000_001, firstInteractionID: minted))
        eventIDs = Mutex(minted | 1 << 17)
        hostWork = Task { try await host.run() }
    }

    /// Starts a host with the cog loaded.
    ///
    /// - Parameters:
    ///   - cog: The cog's name (its product name).
    ///   - library: The built library; by default `lib<cog>.so` next to the test binary.
    ///   - admins: Users allowed the host's admin commands (`/reload`, `/cogs`, …); ``TestUser/admin`` by default.
    ///   - startingAt: Where the virtual clock starts; it moves only with ``advanceClock(by:)``.
    ///   - cachedMessages: Recent messages the cache keeps per channel, as `COGWHEEL_CACHE_MESSAGES`
    ///     does for the bot (0 there by default): a mod log that shows deleted messages needs some.
    /// - Throws: ``CogTestError`` when the library is missing or the host refuses the cog (with the host's reason).
    public static func start(cog: String, library: URL? = nil, admins: [TestUser] = [.admin],
                             startingAt start: Date = defaultStart, cachedMessages: Int = 0) async throws -> CogTestHost {
        let library = library ?? builtLibraries.appendingPathComponent("lib\(cog).so")
        guard FileManager.default.fileExists(atPath: library.path) else {
            throw CogTestError("no built cog at \(library.path): build the package first (`swift build`), or pass library:")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-cogtest-\(UUID().uuidString)")
        var configuration = HostConfiguration(dataDirectory: directory, autoload: [cog], adminUserIDs: Set(admins.map(\.id)))
        configuration.backupInterval = nil
        configuration.clock = .manual(startingAt: start)
        configuration.cacheLimits.messagesPerChannel = cachedMessages
        try CogInstaller.install(library: library, as: cog, into: configuration.cogsDirectory)
        var logger = Logger(label: "cogwheel.cogtest")
        logger.logLevel = .warning
        let discord = RecordingDiscord()
        let (host, startup) = try await CogHost.start(configuration: configuration, links: .init(discord: discord), logger: logger)
        for result in startup.autoload {
            if case .failed(_, let reason) = result {
                await host.shutdown()
                try? FileManager.default.removeItem(at: directory)
                throw CogTestError("the host refused \(cog): \(reason)")
            }
        }
        let harness = CogTestHost(cog: cog, directory: directory, host: host, clock: configuration.clock, discord: discord)
        await harness.connect()
        return harness
    }

    /// Where SwiftPM put the test binary, and with it the package's built products.
    private static var builtLibraries: URL {
        if let override = ProcessInfo.processInfo.environment["COGWHEEL_TEST_BIN_DIR"] {
            return URL(fileURLWithPath: override)
        }
        // On Linux the test bundle `<Name>PackageTests.xctest` is an executable in that directory.
        return URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// Runs a slash command typed as a player would (`/roll dice:2d6`, `/config show`) and
    /// returns what the bot answered, after any deferral.
    ///
    /// - Throws: ``CogTestError`` when the line names no command or option the cog declares.
    @discardableResult
    public func run(_ line: String, as user: TestUser = .player, guild: UInt64? = defaultGuild) async throws -> CogTestReply {
        let definitions = await host.commandDefinitions()
        let payload: [UInt8]
        do {
            payload = try factory.withLock { factory in
                try factory.command(line: line, definitions: definitions, as: user,
                                    guildID: guild, channelID: Self.defaultChannel)
            }
        } catch {
            throw CogTestError("cannot send '\(line)': \(error)")
        }
        return CogTestReply(responses: await source.deliver(frame: payload))
    }

    /// Asks for autocomplete suggestions while the player types `line`, with `option` being
    /// the one typed (`bot.suggestions("/roll dice:2d", typing: "dice")`). Returns the
    /// suggested choices' names, as the player sees them.
    public func suggestions(_ line: String, typing option: String, as user: TestUser = .player,
                            guild: UInt64? = defaultGuild) async throws -> [String] {
        let definitions = await host.commandDefinitions()
        let payload: [UInt8]
        do {
            let invocation = try SlashCommandLine.parse(line, definitions: definitions)
            payload = factory.withLock { factory in
                factory.command(invocation, as: user, guildID: guild, channelID: Self.defaultChannel, focused: option)
            }
        } catch {
            throw CogTestError("cannot send '\(line)': \(error)")
        }
        guard case .initial(let callback)? = await source.deliver(frame: payload).first,
              callback.type == .applicationCommandAutocompleteResult, let data = callback.data,
              let object = try? JSONSerialization.jsonObject(with: Data(data)) as? [String: Any],
              let choices = object["choices"] as? [[String: Any]] else {
            throw CogTestError("the bot did not answer the autocomplete request for '\(line)' with suggestions")
        }
        return choices.compactMap { $0["name"] as? String }
    }

    /// Installs another build of the cog and reloads it the way `/reload` does (the state
    /// the old generation exports is handed to the new one).
    /// - Throws: ``CogTestError`` with the host's reason when the reload is refused; the old build keeps serving.
    public func reload(library: URL) async throws {
        try CogInstaller.install(library: library, as: cog, into: host.configuration.cogsDirectory)
        do {
            _ = try await host.supervisor.reload(cog)
        } catch {
            throw CogTestError("the reload was refused: \(error)")
        }
    }

    /// Reads the cog's tables (or any table) from the host's database.
    ///
    /// ```swift
    /// let rows = try bot.query("SELECT points FROM xp_members WHERE user_id = ?", [.integer(Int64(TestUser.player.id))])
    /// ```
    public func query(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> [SQLiteRow] {
        try host.database.query(sql, parameters)
    }

    /// The virtual time now.
    public var now: Date { clock.now() }

    /// Moves the virtual clock forward and runs every job that fell due, waiting for them.
    /// Cooldowns see the same clock.
    ///
    /// ```swift
    /// try await bot.advanceClock(by: .seconds(24 * 3600))   // the daily job runs once
    /// ```
    public func advanceClock(by duration: Duration) async {
        clock.advance(by: duration)
        await host.jobs.runDue()
    }

    /// The scheduled jobs as `/jobs` lists them.
    public func jobs() throws -> [JobScheduler.Listing] {
        try host.jobs.listing()
    }

    /// The messages the cog posted with `context.discord.send` and has not deleted, oldest first.
    public var postedMessages: [PostedMessage] { discord.messages }

    /// Every Discord action the cog asked for, in order.
    public var restCalls: [RESTCall] { discord.calls }

    /// Stops the cog and the host and removes the temporary directory.
    public func stop() async {
        hostWork.cancel()
        _ = await hostWork.result
        await host.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A Discord user for tests: the id and name a command arrives with, and their permission
/// bits in the channel (`TestUser(id: 42, username: "eve", permissions: 0x20)`).
public typealias TestUser = InteractionFactory.Invoker

extension TestUser {
    /// An ordinary member.
    public static let player = TestUser(id: 800_000_000_000_000_002, username: "bob")
    /// Another member, for cooldowns and votes per user.
    public static let otherPlayer = TestUser(id: 800_000_000_000_000_003, username: "carol")
    /// A server administrator, allowed the host's admin commands by default. Discord resolves
    /// an administrator's permissions to every permission bit, and so does this user.
    public static let admin = TestUser(id: 800_000_000_000_000_001, username: "ada", permissions: (1 << 50) - 1)
}

/// What the bot answered to one command.
public struct CogTestReply: Sendable {
    /// Every response in order: the first one, and the edit that follows a deferral.
    public let responses: [RecordedResponse]

    /// The message the player finally sees.
    public var message: RecordedMessage? { responses.last?.message }
    /// The message's content (`nil` for an embed-only reply).
    public var content: String? { message?.content }
    /// The content and every embed's title, description and fields, joined by newlines.
    public var text: String { message?.text ?? "" }
    /// Whether only the player sees it (errors, cooldowns, ephemeral replies).
    public var isEphemeral: Bool { message?.isEphemeral ?? false }
    /// Whether the bot deferred before answering.
    public var wasDeferred: Bool { responses.first?.callbackType == .deferredChannelMessageWithSource }
    /// Whether the answer replaced the message of the component that was used.
    public var updatedMessage: Bool { responses.first?.callbackType == .updateMessage }
    /// The modal the bot opened, if it answered with one.
    public var modal: RecordedMessage? {
        guard case .initial(let callback)? = responses.first, callback.type == .modal, let data = callback.data else { return nil }
        return try? JSONDecoder().decode(RecordedMessage.self, from: Data(data))
    }
}

/// A test could not be set up or a command could not be sent; the message says why.
public struct CogTestError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
