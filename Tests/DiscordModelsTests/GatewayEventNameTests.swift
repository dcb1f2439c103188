import Testing

@testable import DiscordModels

@Suite("Typed gateway event names")
struct GatewayEventNameTests {
    @Test("every known case round-trips through its wire name", arguments: GatewayEventName.table.map(\.name))
    func caseRoundTrips(name: GatewayEventName) {
        #expect(GatewayEventName(name.rawValue) == name)
        #expect(name.description == name.rawValue)
    }

    @Test("every known wire name becomes its case, never .other", arguments: GatewayEventName.table.map(\.wireName))
    func knownNameIsNotOther(wireName: String) {
        let name = GatewayEventName(wireName)
        #expect(name != .other(wireName))
        #expect(name.rawValue == wireName)
    }

    @Test("the table names each case and each wire name once")
    func tableHasNoDuplicates() {
        let table = GatewayEventName.table
        #expect(Set(table.map(\.name)).count == table.count)
        #expect(Set(table.map(\.wireName)).count == table.count)
        #expect(!table.contains { if case .other = $0.name { true } else { false } })
    }

    @Test("wire names are Discord's", arguments: zip(
        [GatewayEventName.ready, .resumed, .interactionCreate, .messageCreate, .guildMembersChunk, .messagePollVoteRemove,
         .guildSoundboardSoundsUpdate, .autoModerationActionExecution, .threadMembersUpdate],
        ["READY", "RESUMED", "INTERACTION_CREATE", "MESSAGE_CREATE", "GUILD_MEMBERS_CHUNK", "MESSAGE_POLL_VOTE_REMOVE",
         "GUILD_SOUNDBOARD_SOUNDS_UPDATE", "AUTO_MODERATION_ACTION_EXECUTION", "THREAD_MEMBERS_UPDATE"]
    ))
    func wireName(name: GatewayEventName, wireName: String) {
        #expect(name.rawValue == wireName)
        #expect(GatewayEventName(wireName) == name)
    }

    @Test("an unknown name becomes .other and keeps its text",
          arguments: ["FUTURE_EVENT", "interaction_create", "READY ", "", "HELLO"])
    func unknownName(raw: String) {
        let name = GatewayEventName(raw)
        #expect(name == .other(raw))
        #expect(name.rawValue == raw)
        #expect(name.description == raw)
    }
}
