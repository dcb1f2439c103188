import CogWire
import DiscordModels
import Foundation
import Testing

/// Reads ../shared/fixtures (never copied into the project).
enum SharedFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures")

    static func names() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") && $0 != "_index.json" }.sorted()
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// The routing facts of the interaction inside an INTERACTION_CREATE frame.
    static func interactionFacts(ofFrame frame: [UInt8]) throws -> InteractionRoutingFacts {
        try frame.withUnsafeBytes { raw in
            let envelope = try GatewayFrameEnvelope(frame: raw)
            return try InteractionRoutingFacts(interaction: UnsafeRawBufferPointer(rebasing: raw[envelope.payloadRange!]))
        }
    }
}

@Suite("Scanning real payloads without decoding them")
struct FixtureScanTests {
    @Test("every fixture is structurally valid JSON to the scanner", arguments: try SharedFixtures.names())
    func scansFixture(name: String) throws {
        let bytes = try SharedFixtures.bytes(name)
        try bytes.withUnsafeBytes { raw in
            var scanner = JSONScanner(raw)
            scanner.skipWhitespace()
            let range = try scanner.skipValue()
            #expect(range.upperBound > 1)
        }
        let parsed = try JSONSerialization.jsonObject(with: Data(bytes))
        #expect(parsed is [String: Any] || parsed is [Any])
    }

    @Test("gateway frames give their opcode, sequence and event name", arguments: [
        ("hello__d4j.json", 10, nil as String?),
        ("heartbeat_ack__d4j.json", 11, nil),
        ("message_create_type0__d4j.json", 0, "MESSAGE_CREATE"),
        ("interaction_create_slash__d4j.json", 0, "INTERACTION_CREATE"),
        ("invalid_session__d4j.json", 9, nil),
        ("guild_audit_log_entry_create__discordbm.json", 0, "GUILD_AUDIT_LOG_ENTRY_CREATE"),
    ])
    func envelope(name: String, opcode: Int, event: String?) throws {
        let envelope = try SharedFixtures.bytes(name).withUnsafeBytes { try GatewayFrameEnvelope(frame: $0) }
        #expect(envelope.opcode == opcode)
        #expect(envelope.eventName?.rawValue == event)
    }

    @Test("a real slash interaction yields its routing facts")
    func slashFacts() throws {
        let frame = try SharedFixtures.bytes("interaction_create_slash__d4j.json")
        let facts = try SharedFixtures.interactionFacts(ofFrame: frame)
        let reference = try JSONSerialization.jsonObject(with: Data(frame)) as! [String: Any]
        let d = reference["d"] as! [String: Any]
        #expect(facts.id == UInt64(d["id"] as! String))
        #expect(facts.type == 2)
        #expect(facts.token == d["token"] as? String)
        #expect(facts.commandName == (d["data"] as! [String: Any])["name"] as? String)
        #expect(facts.guildID == UInt64(d["guild_id"] as! String))
    }

    @Test("nested subcommand groups give the full command path")
    func subcommandGroupPath() throws {
        let frame = try SharedFixtures.bytes("interaction_create_subcommand_group__d4j.json")
        let reference = try JSONSerialization.jsonObject(with: Data(frame)) as! [String: Any]
        let data = (reference["d"] as! [String: Any])["data"] as! [String: Any]
        let group = (data["options"] as! [[String: Any]])[0]
        let leaf = (group["options"] as! [[String: Any]])[0]
        let expected = [data["name"], group["name"], leaf["name"]].map { $0 as! String }.joined(separator: " ")
        let facts = try SharedFixtures.interactionFacts(ofFrame: frame)
        #expect(facts.commandPath == expected)
    }

    @Test("a modal submit yields its custom_id")
    func modalCustomID() throws {
        let facts = try SharedFixtures.interactionFacts(ofFrame: SharedFixtures.bytes("interaction_create_modal_submit__discordbm.json"))
        #expect(facts.type == 5)
        #expect(facts.customID?.isEmpty == false)
    }

    @Test("escapes and malformed input", arguments: [
        (#"{"a":"x\"y\\z\u00e9\ud83c\udfb2"}"#, "x\"y\\zé🎲"),
    ])
    func escapes(json: String, expected: String) throws {
        var value = ""
        try Array(json.utf8).withUnsafeBytes { raw in
            var scanner = JSONScanner(raw)
            try scanner.readObject { scanner, _ in value = try scanner.readString() }
        }
        #expect(value == expected)
    }

    @Test("truncated JSON is an error, not a crash", arguments: [#"{"id":"1","type":2,"data":{"#, #"{"id":"#, "[1,2", "{\"a\" 1}"])
    func truncated(json: String) {
        #expect(throws: JSONScanError.self) {
            try Array(json.utf8).withUnsafeBytes { raw in
                var scanner = JSONScanner(raw)
                try scanner.readObject { scanner, _ in try scanner.skipValue() }
            }
        }
    }
}
