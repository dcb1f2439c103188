import CogHost
import CogwheelTestSupport
import DiscordModels
import Foundation
import Logging

/// A host in a temporary directory, with helpers to play commands.
struct TestHost {
    let host: CogHost
    let startup: CogHost.StartupReport
    let directory: URL
    let source: InProcessEventSource
    private var factory = InteractionFactory(applicationID: 1)

    static let admin = InteractionFactory.Invoker(id: 42, username: "admin")
    static let player = InteractionFactory.Invoker(id: 7, username: "player")

    var cogsDirectory: URL { directory.appendingPathComponent("cogs") }

    /// Starts a host on `directory` (a new temporary one by default) with `cogs` installed
    /// (product → cog name) first.
    static func start(
        installing cogs: [(product: String, cog: String)] = [], in directory: URL? = nil, links: CogHost.Links = .init(),
        logger: Logger? = nil, configure: (inout HostConfiguration) -> Void = { _ in }
    ) async throws -> TestHost {
        let directory = directory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("cogwheel-test-\(UUID().uuidString)")
        for entry in cogs {
            try BuiltCogs.install(entry.product, as: entry.cog, in: directory.appendingPathComponent("cogs"))
        }
        var configuration = HostConfiguration(dataDirectory: directory, adminUserIDs: [admin.id])
        configure(&configuration)
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let logger = logger ?? quiet
        let (host, startup) = try await CogHost.start(configuration: configuration, links: links, logger: logger)
        return TestHost(host: host, startup: startup, directory: directory, source: InProcessEventSource(router: host.router))
    }

    /// Sends a typed command in `guild` and returns the answers.
    mutating func run(
        _ line: String, as invoker: InteractionFactory.Invoker = TestHost.player, guild: UInt64 = 100
    ) async throws -> [RecordedResponse] {
        let payload = try factory.command(line: line, definitions: await host.commandDefinitions(), as: invoker,
                                          guildID: guild, channelID: 200)
        return await source.deliver(frame: payload)
    }

    /// Clicks a button with `customID` on message `messageID` in `guild`; returns the answers.
    mutating func click(
        _ customID: String, messageID: UInt64 = 1, as invoker: InteractionFactory.Invoker = TestHost.player, guild: UInt64 = 100
    ) async -> [RecordedResponse] {
        await source.deliver(frame: factory.component(customID: customID, messageID: messageID, as: invoker, guildID: guild,
                                                      channelID: 200))
    }

    /// The last message answered to `line` in `guild`.
    mutating func reply(
        _ line: String, as invoker: InteractionFactory.Invoker = TestHost.player, guild: UInt64 = 100
    ) async throws -> RecordedMessage? {
        try await run(line, as: invoker, guild: guild).last?.message
    }

    /// Makes a payload without delivering it (for concurrent senders).
    mutating func payload(_ line: String, as invoker: InteractionFactory.Invoker = TestHost.player) async throws -> [UInt8] {
        try factory.command(line: line, definitions: await host.commandDefinitions(), as: invoker, guildID: 100, channelID: 200)
    }

    func install(_ product: String, as cog: String = "probe", trailer: [UInt8] = []) throws {
        try BuiltCogs.install(product, as: cog, in: cogsDirectory, trailer: trailer)
    }

    func stop() async {
        await host.shutdown()
    }
}
