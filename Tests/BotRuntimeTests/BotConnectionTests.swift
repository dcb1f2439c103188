import BotTestSupport
import BotRuntime
import DiscordGateway
import DiscordModels
import DiscordSimulator
import Foundation
import Testing

@Suite("A bot against the simulated Discord")
struct BotConnectionTests {
    @Test("connects, syncs its commands once and answers a slash command")
    func handshakeAndAnswer() async throws {
        try await BotHarness.withBot { harness in
            let discord = harness.discord
            #expect(discord.statistics.identifies == 1)
            let names = Set(discord.registeredCommands().map(\.name))
            #expect(names.isSuperset(of: ["ping", "roll", "coin", "reload", "cogs", "sync"]))
            #expect(discord.statistics.commandOverwrites == 1)

            let answers = try await discord.run("/ping", as: BotHarness.player)
            #expect(answers.count == 1)
            guard case .callback(let type, _) = answers.first else { Issue.record("no callback"); return }
            #expect(type == 4)
            #expect(answers.first?.content?.contains("Pong") == true)
        }
    }
}
