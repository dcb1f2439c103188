import CogWire
import DiscordModels

/// Discord's limits on a message, checked on a cog's answer before the host sends it, so a
/// cog that writes 4 MB of content or invalid UTF-8 costs the player an apology instead of a
/// refused request (and the bot an invalid response). Pure: the scanner reads only the fields
/// that carry limits.
///
/// It also keeps components attributable: a click is routed by its custom_id's `cog:` prefix,
/// so every custom_id a cog sends (a modal's own, or its message's buttons and menus) must
/// carry that cog's name. Only the bot's messages carry its components, so a click on
/// `polls:close:1` then always comes from a message the polls cog made.
///
/// ```swift
/// MessageLimits.problem(in: Array(#"{"content":"hi"}"#.utf8), sentBy: "dice")    // nil
/// ```
enum MessageLimits {
    static let maxBytes = 256 << 10
    static let content = 2_000
    static let embeds = 10
    static let embedCharacters = 6_000
    static let title = 256
    static let description = 4_096
    static let fields = 25
    static let fieldName = 256
    static let fieldValue = 1_024
    static let footer = 2_048
    static let authorName = 256
    static let actionRows = 5
    static let componentsPerRow = 5
    static let customID = 100

    /// What breaks a limit in the message (or, with `asModal`, the modal) `data` that cog
    /// `cog` sends, or `nil` when it keeps to them all.
    static func problem(in data: [UInt8], sentBy cog: String, asModal: Bool = false) -> String? {
        guard data.count <= maxBytes else { return "the message is \(data.count) bytes (at most \(maxBytes))" }
        guard String(validating: data, as: UTF8.self) != nil else { return "the message is not valid UTF-8" }
        do {
            return try data.withUnsafeBytes { raw -> String? in
                var scanner = JSONScanner(raw)
                scanner.skipWhitespace()
                var problem: String?
                try scanner.readObject { scanner, key in
                    let found: String?
                    switch key {
                    case "content": found = try scanner.skipNull() ? nil : tooLong("content", try scanner.readString(), content)
                    case "embeds": found = try scanner.skipNull() ? nil : try embedsProblem(&scanner)
                    case "components":
                        // A modal's components are its text inputs, whose custom_ids are field names.
                        found = try scanner.skipNull() ? nil : try componentsProblem(&scanner, owner: asModal ? nil : cog)
                    case "custom_id" where asModal: found = ownership("the modal's custom_id", try scanner.readString(), cog)
                    default:
                        try scanner.skipValue()
                        found = nil
                    }
                    problem = problem ?? found
                }
                return problem
            }
        } catch {
            return "the message is not a JSON object: \(error)"
        }
    }

    private static func tooLong(_ field: String, _ text: String, _ limit: Int) -> String? {
        let length = text.unicodeScalars.count
        return length > limit ? "\(field) is \(length) characters (at most \(limit))" : nil
    }

    private static func embedsProblem(_ scanner: inout JSONScanner) throws -> String? {
        var problem: String?
        var count = 0
        var characters = 0
        try scanner.readArray { scanner, index in
            count += 1
            try scanner.readObject { scanner, key in
                func text(_ scanner: inout JSONScanner, _ limit: Int, _ name: String) throws {
                    let value = try scanner.readString()
                    characters += value.unicodeScalars.count
                    let found = tooLong("embed \(index + 1)'s \(name)", value, limit)
                    problem = problem ?? found
                }
                switch key {
                case "title": try text(&scanner, title, "title")
                case "description": try text(&scanner, description, "description")
                case "footer":
                    try scanner.readObject { scanner, inner in
                        if inner == "text" { try text(&scanner, footer, "footer text") } else { try scanner.skipValue() }
                    }
                case "author":
                    try scanner.readObject { scanner, inner in
                        if inner == "name" { try text(&scanner, authorName, "author name") } else { try scanner.skipValue() }
                    }
                case "fields":
                    var fieldCount = 0
                    try scanner.readArray { scanner, _ in
                        fieldCount += 1
                        try scanner.readObject { scanner, inner in
                            switch inner {
                            case "name": try text(&scanner, fieldName, "field name")
                            case "value": try text(&scanner, fieldValue, "field value")
                            default: try scanner.skipValue()
                            }
                        }
                    }
                    if fieldCount > fields { problem = problem ?? "embed \(index + 1) has \(fieldCount) fields (at most \(fields))" }
                default:
                    try scanner.skipValue()
                }
            }
        }
        if count > embeds { return "the message has \(count) embeds (at most \(embeds))" }
        if characters > embedCharacters { return problem ?? "the embeds hold \(characters) characters (at most \(embedCharacters))" }
        return problem
    }

    private static func ownership(_ what: String, _ customID: String, _ cog: String) -> String? {
        customID.utf8.starts(with: cog.utf8) && customID.utf8.dropFirst(cog.utf8.count).first == UInt8(ascii: ":")
            ? nil : "\(what) '\(customID.prefix(40))' does not start with '\(cog):', so its clicks could not be routed to this cog"
    }

    private static func componentsProblem(_ scanner: inout JSONScanner, owner: String?) throws -> String? {
        var problem: String?
        var rows = 0
        try scanner.readArray { scanner, row in
            rows += 1
            try scanner.readObject { scanner, key in
                switch key {
                case "components":
                    var children = 0
                    try scanner.readArray { scanner, _ in
                        children += 1
                        try scanner.readObject { scanner, inner in
                            if inner == "custom_id" {
                                let value = try scanner.readString()
                                let found = tooLong("a custom_id in row \(row + 1)", value, customID)
                                    ?? owner.flatMap { ownership("a custom_id in row \(row + 1)", value, $0) }
                                problem = problem ?? found
                            } else {
                                try scanner.skipValue()
                            }
                        }
                    }
                    if children > componentsPerRow {
                        problem = problem ?? "row \(row + 1) has \(children) components (at most \(componentsPerRow))"
                    }
                default:
                    try scanner.skipValue()
                }
            }
        }
        return rows > actionRows ? "the message has \(rows) rows of components (at most \(actionRows))" : problem
    }
}
