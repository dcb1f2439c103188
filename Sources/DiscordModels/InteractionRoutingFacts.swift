import CogWire

/// The fields of an interaction that routing and responding need, read without decoding the
/// rest of the payload.
public struct InteractionRoutingFacts: Sendable, Equatable {
    public var id: UInt64 = 0
    public var applicationID: UInt64 = 0
    public var type: Int = 0
    /// The interaction token used to answer; never logged.
    public var token: String = ""
    /// The invoked command's name (`data.name`) for commands and autocomplete.
    public var commandName: String?
    /// The command path with subcommand names, e.g. "config set"; empty for components.
    public var commandPath: String = ""
    /// `data.custom_id` for components and modals.
    public var customID: String?
    public var guildID: UInt64?
    public var channelID: UInt64?
    public var userID: UInt64?
    /// `member.permissions` in the channel, when the interaction came from a guild.
    public var memberPermissions: UInt64?
    /// The channels the options name (`data.resolved.channels`), which the cog may then post in.
    public var resolvedChannels: [UInt64] = []

    public init() {}

    /// Reads the facts from an interaction object (the `d` of INTERACTION_CREATE).
    ///
    /// - Throws: ``JSONScanError`` for malformed JSON, ``InteractionFactsError`` when a field
    ///   routing depends on is missing.
    public init(interaction bytes: UnsafeRawBufferPointer) throws {
        var scanner = JSONScanner(bytes)
        scanner.skipWhitespace()
        var facts = InteractionRoutingFacts()
        try scanner.readObject { scanner, key in
            switch key {
            case "id": facts.id = try scanner.readSnowflake() ?? 0
            case "application_id": facts.applicationID = try scanner.readSnowflake() ?? 0
            case "type": facts.type = Int(try scanner.readInteger() ?? 0)
            case "token": facts.token = try scanner.readString()
            case "guild_id": facts.guildID = try scanner.readSnowflake()
            case "channel_id": facts.channelID = try scanner.readSnowflake()
            case "data": try facts.readData(&scanner)
            case "member": try facts.readMember(&scanner)
            case "user": try facts.readUser(&scanner)
            default: try scanner.skipValue()
            }
        }
        guard facts.id != 0 else { throw InteractionFactsError.missing("id") }
        guard facts.type != 0 else { throw InteractionFactsError.missing("type") }
        self = facts
    }

    private mutating func readData(_ scanner: inout JSONScanner) throws {
        guard try !scanner.skipNull() else { return }
        var path: [String] = []
        try scanner.readObject { scanner, key in
            switch key {
            case "name":
                let name = try scanner.readString()
                commandName = name
                path.insert(name, at: 0)
            case "custom_id": customID = try scanner.readString()
            case "options": try Self.readSubcommandPath(&scanner, into: &path)
            case "resolved": try readResolvedChannels(&scanner)
            default: try scanner.skipValue()
            }
        }
        commandPath = path.joined(separator: " ")
    }

    private mutating func readResolvedChannels(_ scanner: inout JSONScanner) throws {
        guard try !scanner.skipNull() else { return }
        var channels: [UInt64] = []
        try scanner.readObject { scanner, key in
            guard key == "channels" else {
                try scanner.skipValue()
                return
            }
            guard try !scanner.skipNull() else { return }
            try scanner.readObject { scanner, id in
                if let channel = UInt64(id.description) { channels.append(channel) }
                try scanner.skipValue()
            }
        }
        resolvedChannels = channels
    }

    /// Follows subcommand (type 1) and group (type 2) options down to the invoked leaf.
    private static func readSubcommandPath(_ scanner: inout JSONScanner, into path: inout [String]) throws {
        try scanner.readArray { scanner, index in
            guard index == 0 else {
                try scanner.skipValue()
                return
            }
            var name: String?
            var type = 0
            var nested: [String] = []
            try scanner.readObject { scanner, key in
                switch key {
                case "name": name = try scanner.readString()
                case "type": type = Int(try scanner.readInteger() ?? 0)
                case "options": try readSubcommandPath(&scanner, into: &nested)
                default: try scanner.skipValue()
                }
            }
            if type == 1 || type == 2, let name {
                path.append(name)
                path.append(contentsOf: nested)
            }
        }
    }

    private mutating func readMember(_ scanner: inout JSONScanner) throws {
        guard try !scanner.skipNull() else { return }
        try scanner.readObject { scanner, key in
            switch key {
            case "permissions": memberPermissions = try scanner.readSnowflake()
            case "user": try readUser(&scanner)
            default: try scanner.skipValue()
            }
        }
    }

    private mutating func readUser(_ scanner: inout JSONScanner) throws {
        guard try !scanner.skipNull() else { return }
        try scanner.readObject { scanner, key in
            if key == "id" {
                userID = try scanner.readSnowflake()
            } else {
                try scanner.skipValue()
            }
        }
    }
}

/// An interaction that cannot be routed because a required field is missing.
public enum InteractionFactsError: Error, Sendable, CustomStringConvertible, Equatable {
    case missing(String)

    public var description: String {
        switch self {
        case .missing(let field): "interaction has no '\(field)' field"
        }
    }
}
