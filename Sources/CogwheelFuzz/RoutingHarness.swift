@testable import CogHost
import CogWire
import DiscordModels

/// Everything the host reads from JSON it did not write, on the hot path: the interaction's
/// routing facts, the gateway envelope, a cog's response document and the message limits.
enum RoutingHarness {
    static func run(_ bytes: [UInt8]) {
        if let facts = try? bytes.withUnsafeBytes({ try InteractionRoutingFacts(interaction: $0) }) {
            // Whatever the facts are, routing them is defined.
            _ = RouteResolver.destination(of: facts)
            // Invalid UTF-8 is repaired (each bad byte becomes U+FFFD), never read past.
            if let customID = facts.customID {
                FuzzFailure.check(customID.unicodeScalars.count <= bytes.count, "a custom_id of more characters than its input has bytes")
            }
        }
        if let envelope = try? bytes.withUnsafeBytes({ try GatewayFrameEnvelope(frame: $0) }), let range = envelope.payloadRange {
            FuzzFailure.check(range.lowerBound >= 0 && range.upperBound <= bytes.count, "a payload range \(range) outside \(bytes.count) bytes")
        }
        let document = ResponseDocument(answer: bytes)
        switch document {
        case .message(let data), .update(let data), .modal(let data):
            _ = MessageLimits.problem(in: data, sentBy: "fuzz", asModal: true)
            _ = MessageLimits.problem(in: data, sentBy: "fuzz")
        default:
            break
        }
        _ = MessageLimits.problem(in: bytes, sentBy: "fuzz")
    }
}
