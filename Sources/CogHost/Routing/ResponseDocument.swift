import DiscordModels

/// A cog's answer, as the cog wrote it (see docs/cog-abi.md), read without a full decode.
enum ResponseDocument: Equatable {
    /// A message: the raw `data` object, already in Discord's message format.
    case message(data: [UInt8])
    /// A component's answer that replaces the message the component sits on (callback 7).
    case update(data: [UInt8])
    /// A modal to open (callback 9): the raw `data` object with custom_id, title and components.
    case modal(data: [UInt8])
    /// A job finished (nothing to show anyone).
    case done
    /// Autocomplete suggestions: the raw `choices` array.
    case choices([UInt8])
    /// A failure: `message` for the player if the cog wrote one, `detail` for the log.
    case error(message: String?, detail: String)

    /// Parses a document; anything unreadable becomes an ``error(message:detail:)``.
    init(parsing bytes: [UInt8]) {
        var kind: String?
        var dataRange: Range<Int>?
        var choicesRange: Range<Int>?
        var message: String?
        var detail = ""
        let parsed: Void? = try? bytes.withUnsafeBytes { raw in
            var scanner = JSONScanner(raw)
            scanner.skipWhitespace()
            try scanner.readObject { scanner, key in
                switch key {
                case "kind": kind = try scanner.readString()
                case "data": dataRange = try scanner.skipValue()
                case "choices": choicesRange = try scanner.skipValue()
                case "message": message = try scanner.readString()
                case "detail": detail = try scanner.readString()
                default: try scanner.skipValue()
                }
            }
        }
        switch (parsed, kind, dataRange) {
        case (.some, "message", .some(let range)):
            self = .message(data: Array(bytes[range]))
        case (.some, "update", .some(let range)):
            self = .update(data: Array(bytes[range]))
        case (.some, "modal", .some(let range)):
            self = .modal(data: Array(bytes[range]))
        case (.some, "done", _):
            self = .done
        case (.some, "choices", _) where choicesRange != nil:
            self = .choices(Array(bytes[choicesRange!]))
        case (.some, "error", _):
            self = .error(message: message, detail: detail)
        default:
            let preview = String(decoding: bytes.prefix(200), as: UTF8.self)
            self = .error(message: nil, detail: "unreadable response document: \(preview)")
        }
    }
}
