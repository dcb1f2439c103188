import CogWire

/// What a cog without the MESSAGE_CONTENT intent sees of a message when another cog's intent
/// brought the content in: what Discord would have sent it, `content` empty and `embeds`,
/// `attachments` and `components` empty lists, except in the bot's own messages and in messages
/// that mention the bot. Only those values are rewritten; the rest of the bytes stay as received.
enum MessageContentRedaction {
    /// The dispatches that carry message content.
    static let events: Set<String> = ["MESSAGE_CREATE", "MESSAGE_UPDATE"]

    /// `payload` (a message) as a cog without MESSAGE_CONTENT may see it; the payload itself
    /// when nothing is to be hidden, or when it does not scan (the cog's decoding will say so).
    static func redacting(_ payload: [UInt8], botUser: UInt64) -> [UInt8] {
        var hidden: [(range: Range<Int>, replacement: String)] = []
        var authorID: UInt64?
        var mentionsBot = false
        let mentions = botUser == 0 ? [] : ["<@\(botUser)>", "<@!\(botUser)>"].map { Array($0.utf8) }
        do {
            try payload.withUnsafeBytes { raw in
                var scanner = JSONScanner(raw)
                scanner.skipWhitespace()
                try scanner.readObject { scanner, key in
                    switch key {
                    case "content":
                        let range = try scanner.skipValue()
                        let text = payload[range]
                        mentionsBot = mentions.contains { mention in text.firstRange(of: mention) != nil }
                        hidden.append((range, "\"\""))
                    case "embeds", "attachments", "components":
                        hidden.append((try scanner.skipValue(), "[]"))
                    case "author":
                        try scanner.readObject { scanner, key in
                            if key == "id" { authorID = try scanner.readSnowflake() } else { try scanner.skipValue() }
                        }
                    default:
                        try scanner.skipValue()
                    }
                }
            }
        } catch {
            return payload
        }
        if hidden.isEmpty || mentionsBot || (authorID != nil && authorID == botUser) { return payload }
        var redacted = payload
        for (range, replacement) in hidden.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            redacted.replaceSubrange(range, with: Array(replacement.utf8))
        }
        return redacted
    }
}
