/// A cog's answer to a request (docs/cog-abi.md, "Responses").
///
/// ```swift
/// ResponseDocument.message(data: messageJSON).encoded()   // {"kind":"message","data":{…}}
/// ResponseDocument.error(message: "No poll here", detail: "poll 7 is closed").encoded()
/// ```
public enum ResponseDocument: WireDocument {
    /// A message: `data` is a Discord message object, passed through untouched.
    case message(data: [UInt8])
    /// A component's answer that replaces the message the component sits on (callback 7).
    case update(data: [UInt8])
    /// A modal to open (callback 9): custom_id, title and components.
    case modal(data: [UInt8])
    /// Autocomplete suggestions: the `choices` array.
    case choices([UInt8])
    /// A job run or an event finished; nothing to show anyone.
    case done
    /// A failure: `message` for the player if the cog wrote one, `detail` for the log.
    case error(message: String?, detail: String)

    public func encoded() -> [UInt8] {
        var writer = JSONWriter()
        writer.object { object in
            switch self {
            case .message(let data), .update(let data), .modal(let data):
                object.field("kind", kindName)
                object.key("data")
                object.raw(data)
            case .choices(let choices):
                object.field("kind", "choices")
                object.key("choices")
                object.raw(choices)
            case .done:
                object.field("kind", "done")
            case .error(let message, let detail):
                object.field("kind", "error")
                if let message { object.field("message", message) }
                object.field("detail", detail)
            }
        }
        return writer.bytes
    }

    public init(scanning bytes: [UInt8]) throws(WireError) {
        var kind: String?
        var data: Range<Int>?
        var choices: Range<Int>?
        var message: String?
        var detail: String?
        try JSONScanner.document("response", bytes) { scanner in
            try scanner.readObject { scanner, key in
                switch key {
                case "kind": kind = try scanner.readOptionalString()
                case "data": data = try scanner.skipValue()
                case "choices": choices = try scanner.skipValue()
                case "message": message = try scanner.readOptionalString()
                case "detail": detail = try scanner.readOptionalString()
                default: try scanner.skipValue()
                }
            }
        }
        switch (kind, data, choices) {
        case ("message", let data?, _): self = .message(data: Array(bytes[data]))
        case ("update", let data?, _): self = .update(data: Array(bytes[data]))
        case ("modal", let data?, _): self = .modal(data: Array(bytes[data]))
        case ("choices", _, let choices?): self = .choices(Array(bytes[choices]))
        case ("done", _, _): self = .done
        case ("error", _, _): self = .error(message: message, detail: detail ?? "")
        case ("message", nil, _), ("update", nil, _), ("modal", nil, _):
            throw WireError(field: "response", problem: "of kind '\(kind!)' has no \"data\" object")
        case ("choices", _, nil):
            throw WireError(field: "response", problem: "of kind 'choices' has no \"choices\" array")
        case (let kind?, _, _):
            throw WireError(field: "response.kind", problem: "'\(kind)' is not message, update, modal, choices, done or error")
        case (nil, _, _):
            throw WireError(field: "response", problem: "has no \"kind\"")
        }
    }

    /// Reads a cog's answer; anything unreadable becomes an ``error(message:detail:)`` whose
    /// detail says why, so the player gets the apology and the log the reason.
    public init(answer bytes: [UInt8]) {
        do {
            self = try ResponseDocument(scanning: bytes)
        } catch {
            let preview = String(decoding: bytes.prefix(200), as: UTF8.self)
            self = .error(message: nil, detail: "unreadable response document (\(error)): \(preview)")
        }
    }

    private var kindName: String {
        switch self {
        case .message: "message"
        case .update: "update"
        case .modal: "modal"
        case .choices: "choices"
        case .done: "done"
        case .error: "error"
        }
    }
}
