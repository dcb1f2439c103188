import DiscordModels
import Foundation

/// One REST request the simulator received.
public struct RecordedRequest: Sendable {
    public var method: String
    /// The path with ids (`/api/v10/channels/1/messages`).
    public var path: String
    /// The route with placeholders (`/channels/{channel_id}/messages`), as the OpenAPI spec names it.
    public var route: String
    /// The JSON body; for an upload, its `payload_json` part.
    public var body: [UInt8]
    public var status: Int
    /// `X-Audit-Log-Reason`, URL-decoded.
    public var auditLogReason: String? = nil
    /// The names of the files uploaded with it.
    public var files: [String] = []
}

/// An answer the bot gave to an injected interaction.
public enum RecordedAnswer: Sendable, Equatable {
    /// The initial response: the callback body.
    case callback(type: Int, data: [UInt8]?)
    /// An edit of the original response.
    case editOriginal([UInt8])
    /// A follow-up message.
    case followUp([UInt8])

    /// The message JSON the answer carries.
    public var message: [UInt8]? {
        switch self {
        case .callback(_, let data): data
        case .editOriginal(let message), .followUp(let message): message
        }
    }

    /// The `content` of the message, for assertions and display.
    public var content: String? {
        guard let message, let object = try? JSONSerialization.jsonObject(with: Data(message)) as? [String: Any] else {
            return nil
        }
        return object["content"] as? String
    }
}

/// What the simulator has seen so far.
public struct SimulatorStatistics: Sendable, Equatable {
    public var connections = 0
    public var identifies = 0
    public var resumes = 0
    public var heartbeats = 0
    public var dispatched = 0
    public var commandOverwrites = 0
    public var rateLimited = 0
    /// Initial responses refused with 40060 because the interaction was already answered:
    /// a bot that answers once never causes one.
    public var duplicateCallbacks = 0
}
