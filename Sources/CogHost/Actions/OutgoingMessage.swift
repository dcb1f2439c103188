import CogWire

/// A message a cog sends, made into what the host sends: its `allowed_mentions` limited to
/// what the cog may ping, a reply's `message_reference` (the only one: a cog's own is dropped),
/// and one `attachments` entry per file.
/// Replies to interactions go through it too (``ReplyPlanner``), so no cog's text reaches
/// @everyone or a role without `mentions.everyone` or `mentions.roles`, whatever its body says.
///
/// ```swift
/// let sent = try OutgoingMessage.prepare(Array(#"{"content":"@everyone hi"}"#.utf8), capabilities: [])
/// // {"content":"@everyone hi","allowed_mentions":{"parse":["users"]}}
/// ```
enum OutgoingMessage {
    /// What kinds of mention `capabilities` allow to notify.
    static func parseable(with capabilities: Set<CogCapability>) -> [String] {
        var kinds = ["users"]
        if capabilities.contains(.mentionsRoles) { kinds.append("roles") }
        if capabilities.contains(.mentionsEveryone) { kinds.append("everyone") }
        return kinds
    }

    /// `body` (a message object) as the host sends it.
    ///
    /// The cog's own `allowed_mentions` is kept where it asks for less: its `parse` kinds are
    /// narrowed to those allowed (none when it names none, as Discord reads it), its `users`
    /// and `replied_user` kept, its `roles` only with `mentions.roles`.
    ///
    /// - Throws: ``JSONScanError`` when `body` is not a JSON object.
    static func prepare(_ body: [UInt8], capabilities: Set<CogCapability>, replyTo: UInt64? = nil,
                        files: [String] = []) throws -> [UInt8] {
        let allowed = parseable(with: capabilities)
        var kept: [(key: String, value: ArraySlice<UInt8>)] = []
        var requested: RequestedMentions?
        try body.withUnsafeBytes { raw in
            var scanner = JSONScanner(raw)
            scanner.skipWhitespace()
            try scanner.readObject { scanner, key in
                switch key {
                case "allowed_mentions":
                    requested = try scanner.skipNull() ? nil : try RequestedMentions.scan(&scanner)
                // A reference is the host's to make from `reply_to`: a cog's own could forward
                // a message from anywhere the bot sees.
                case "message_reference", "attachments" where !files.isEmpty:
                    try scanner.skipValue()
                default:
                    let name = key.description
                    kept.append((name, body[try scanner.skipValue()]))
                }
            }
            try scanner.expectEnd()
        }
        var writer = JSONWriter()
        writer.object { object in
            for (key, value) in kept {
                object.key(key)
                object.raw(value)
            }
            object.key("allowed_mentions")
            object.object { mentions in
                let parse = requested.map { ($0.parse ?? []).filter(allowed.contains) } ?? allowed
                mentions.key("parse")
                mentions.array(parse) { $0.string($1) }
                if let users = requested?.users, !users.isEmpty, !parse.contains("users") {
                    mentions.key("users")
                    mentions.array(users) { $0.string($1) }
                }
                if let roles = requested?.roles, !roles.isEmpty, capabilities.contains(.mentionsRoles), !parse.contains("roles") {
                    mentions.key("roles")
                    mentions.array(roles) { $0.string($1) }
                }
                if let repliedUser = requested?.repliedUser { mentions.field("replied_user", repliedUser) }
            }
            if let replyTo {
                object.key("message_reference")
                object.object {
                    $0.field("message_id", snowflake: replyTo)
                    $0.field("fail_if_not_exists", false)
                }
            }
            if !files.isEmpty {
                object.key("attachments")
                object.array(Array(files.enumerated())) { writer, file in
                    writer.object {
                        // Discord's spec types the id as a string; it is the file's index in the form.
                        $0.field("id", String(file.offset))
                        $0.field("filename", file.element)
                    }
                }
            }
        }
        return writer.bytes
    }

    /// A cog's own `allowed_mentions`, as far as the host keeps it. Discord refuses a `parse`
    /// kind together with a list of the same kind, so the lists are dropped where `parse` has it.
    private struct RequestedMentions {
        var parse: [String]?
        var users: [String]?
        var roles: [String]?
        var repliedUser: Bool?

        static func scan(_ scanner: inout JSONScanner) throws -> RequestedMentions {
            var requested = RequestedMentions()
            try scanner.readObject { scanner, key in
                switch key {
                case "parse": requested.parse = try scanner.readStrings()
                case "users": requested.users = try scanner.readSnowflakes().map(String.init)
                case "roles": requested.roles = try scanner.readSnowflakes().map(String.init)
                case "replied_user": requested.repliedUser = try scanner.readBool()
                default: try scanner.skipValue()
                }
            }
            return requested
        }
    }
}
