import CogHost
import DiscordModels
import Foundation
import Synchronization

/// Routing throughput: interaction JSON in → routing facts → cog (C and Swift) → response
/// document → interaction callback out, with 64 interactions in flight. Baselines in the same
/// run: scanning the routing facts alone, and a full `JSONDecoder` decode of the interaction
/// (what a framework that decodes everything pays first).
struct RoutingBenchmark {
    let host: CogHost
    let interactions: Int

    struct Result {
        var label: String
        var perCPUSecond: Double
        var wallPerSecond: Double
    }

    func run() async throws -> [Result] {
        var factory = InteractionFactory(applicationID: 1)
        let definitions = await host.commandDefinitions()
        let invoker = InteractionFactory.Invoker(id: 7, username: "bench")
        let ping = try factory.command(line: "/ping", definitions: definitions, as: invoker, guildID: 1, channelID: 2)
        let coin = try factory.command(line: "/coin", definitions: definitions, as: invoker, guildID: 1, channelID: 2)
        var results: [Result] = []
        results.append(measure("scan routing facts only (baseline)", count: interactions) {
            _ = try? coin.withUnsafeBytes { try InteractionRoutingFacts(interaction: $0) }
        })
        let decodeCount = max(interactions / 10, 1000)
        results.append(measure("JSONDecoder full decode (baseline)", count: decodeCount) {
            _ = try? JSONDecoder().decode(FullInteraction.self, from: Data(coin))
        })
        results.append(try await route(ping, label: "route → C cog /ping → callback"))
        results.append(try await route(coin, label: "route → Swift cog /coin → callback"))
        return results
    }

    private func measure(_ label: String, count: Int, _ body: () -> Void) -> Result {
        let cpu = CPUTime.now()
        let wall = ContinuousClock.now
        for _ in 0..<count { body() }
        return Result(label: label, perCPUSecond: Double(count) / (CPUTime.now() - cpu),
                      wallPerSecond: Double(count) / ((ContinuousClock.now - wall).milliseconds / 1000))
    }

    private func route(_ payload: [UInt8], label: String) async throws -> Result {
        let responder = CountingResponder()
        let router = host.router
        let inFlight = 64
        let perTask = interactions / inFlight
        let cpu = CPUTime.now()
        let wall = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<inFlight {
                group.addTask {
                    for _ in 0..<perTask { await router.handle(interaction: payload, responder: responder) }
                }
            }
        }
        let elapsedCPU = CPUTime.now() - cpu
        let elapsedWall = (ContinuousClock.now - wall).milliseconds / 1000
        let answered = responder.count
        guard answered == perTask * inFlight else {
            throw BenchmarkError("\(label): answered \(answered) of \(perTask * inFlight)")
        }
        return Result(label: label, perCPUSecond: Double(answered) / elapsedCPU, wallPerSecond: Double(answered) / elapsedWall)
    }
}

/// Counts answers without sending them anywhere.
final class CountingResponder: InteractionResponder {
    private let answers = Atomic<Int>(0)
    var count: Int { answers.load(ordering: .relaxed) }

    func respond(to interaction: InteractionRoutingFacts, with callback: InteractionCallback) async throws {
        answers.add(1, ordering: .relaxed)
    }

    func editOriginalResponse(of interaction: InteractionRoutingFacts, with message: [UInt8]) async throws {}
}

/// A full decode of an interaction, for the baseline.
struct FullInteraction: Decodable {
    struct User: Decodable { var id: String; var username: String; var global_name: String? }
    struct Member: Decodable { var user: User; var roles: [String]; var permissions: String; var joined_at: String }
    struct Option: Decodable { var name: String; var type: Int }
    struct CommandData: Decodable { var id: String; var name: String; var type: Int; var options: [Option]? }
    var id: String
    var application_id: String
    var type: Int
    var token: String
    var guild_id: String?
    var channel_id: String?
    var member: Member?
    var data: CommandData
    var locale: String?
    var app_permissions: String?
}
