import Foundation
import Testing

@testable import DiscordModels

/// The intents behind each dispatch, checked against Discord's own documentation in
/// ../shared/discord/docs (read, never copied).
@Suite("Gateway events and the intents that deliver them")
struct GatewayEventIntentTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/discord/docs")

    /// The gateway page's intents block: `NAME (1 << bit)` lines, each followed by `  - EVENT` lines.
    static func documentedIntents() throws -> [(name: String, bit: Int, events: [String])] {
        let page = try String(contentsOf: docs.appendingPathComponent("gateway.mdx"), encoding: .utf8)
        var intents: [(name: String, bit: Int, events: [String])] = []
        let heading = try Regex(#"^([A-Z_]+) \(1 << (\d+)\)"#)
        let event = try Regex(#"^  - ([A-Z_]+)"#)
        for line in page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if let match = line.firstMatch(of: heading), let name = match.output[1].substring, let bit = match.output[2].substring {
                intents.append((String(name), Int(bit)!, []))
            } else if let match = line.firstMatch(of: event), let name = match.output[1].substring, !intents.isEmpty {
                intents[intents.count - 1].events.append(String(name))
            }
        }
        return intents
    }

    @Test("every intent Discord documents has its bit and its configuration name")
    func intentBits() throws {
        let documented = try Self.documentedIntents()
        #expect(documented.count >= 20, "the intents block was not found")
        for intent in documented {
            #expect(GatewayIntents.names[intent.name.lowercased()]?.rawValue == 1 << UInt64(intent.bit), "\(intent.name)")
        }
        #expect(Set(GatewayIntents.names.keys) == Set(documented.map { $0.name.lowercased() }))
    }

    @Test("each dispatch needs exactly the intents the documentation lists it under")
    func eventIntents() throws {
        var expected: [String: GatewayIntents] = [:]
        for intent in try Self.documentedIntents() {
            for event in intent.events {
                expected[event, default: []].insert(GatewayIntents(rawValue: 1 << UInt64(intent.bit)))
            }
        }
        for (name, wireName) in GatewayEventName.table {
            #expect(name.intents == (expected[wireName] ?? []), "\(wireName)")
        }
        // Nothing the documentation lists is missing from the typed names.
        let known = Set(GatewayEventName.table.map(\.wireName))
        #expect(Set(expected.keys).subtracting(known).isEmpty, "\(Set(expected.keys).subtracting(known).sorted())")
    }

    @Test("privileged events need a privileged intent; unknown names need nothing known", arguments: zip(
        ["GUILD_MEMBER_ADD", "PRESENCE_UPDATE", "MESSAGE_CREATE", "READY", "INTERACTION_CREATE", "MEMBER_JOIN"],
        [GatewayIntents.guildMembers, .guildPresences, [.guildMessages, .directMessages], [], [], nil] as [GatewayIntents?]
    ))
    func examples(wireName: String, intents: GatewayIntents?) {
        #expect(GatewayEventName(wireName).intents == intents)
    }
}
