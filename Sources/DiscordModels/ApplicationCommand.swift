/// An application command definition as Discord's bulk-overwrite endpoint takes it.
///
/// Unknown fields are ignored when decoding; encoding writes only the fields Cogwheel knows,
/// so the canonical form (and its hash) is stable.
public struct ApplicationCommand: Codable, Sendable, Equatable {
    /// 1 chat input (slash), 2 user context menu, 3 message context menu.
    public var type: Int?
    public var name: String
    public var description: String
    public var options: [ApplicationCommandOption]?
    /// A permission bit set as a decimal string, e.g. "8" for administrators only.
    public var defaultMemberPermissions: String?

    public init(
        type: Int? = 1, name: String, description: String, options: [ApplicationCommandOption]? = nil,
        defaultMemberPermissions: String? = nil
    ) {
        self.type = type
        self.name = name
        self.description = description
        self.options = options
        self.defaultMemberPermissions = defaultMemberPermissions
    }

    enum CodingKeys: String, CodingKey {
        case type, name, description, options
        case defaultMemberPermissions = "default_member_permissions"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decodeIfPresent(Int.self, forKey: .type)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decode(String.self, forKey: .description)
        options = try container.decodeIfPresent([ApplicationCommandOption].self, forKey: .options)
        // Discord answers with a string; requests (and some clients) use a number.
        if let text = try? container.decodeIfPresent(String.self, forKey: .defaultMemberPermissions) {
            defaultMemberPermissions = text
        } else {
            defaultMemberPermissions = try container.decodeIfPresent(UInt64.self, forKey: .defaultMemberPermissions).map(String.init)
        }
    }

    /// Encodes the request form: Discord's OpenAPI spec types `default_member_permissions`
    /// as an integer in create and overwrite requests.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(type, forKey: .type)
        try container.encode(name, forKey: .name)
        try container.encode(description, forKey: .description)
        try container.encodeIfPresent(options, forKey: .options)
        if let permissions = defaultMemberPermissions {
            if let bits = UInt64(permissions) {
                try container.encode(bits, forKey: .defaultMemberPermissions)
            } else {
                try container.encode(permissions, forKey: .defaultMemberPermissions)
            }
        }
    }
}

/// An option, subcommand (type 1) or subcommand group (type 2) of an application command.
public struct ApplicationCommandOption: Codable, Sendable, Equatable {
    public var type: Int
    public var name: String
    public var description: String
    public var required: Bool?
    public var choices: [ApplicationCommandChoice]?
    public var options: [ApplicationCommandOption]?
    public var minValue: Double?
    public var maxValue: Double?
    public var minLength: Int?
    public var maxLength: Int?
    public var autocomplete: Bool?

    public init(
        type: Int, name: String, description: String, required: Bool? = nil,
        choices: [ApplicationCommandChoice]? = nil, options: [ApplicationCommandOption]? = nil
    ) {
        self.type = type
        self.name = name
        self.description = description
        self.required = required
        self.choices = choices
        self.options = options
    }

    enum CodingKeys: String, CodingKey {
        case type, name, description, required, choices, options, autocomplete
        case minValue = "min_value"
        case maxValue = "max_value"
        case minLength = "min_length"
        case maxLength = "max_length"
    }

    /// Option types that nest other options.
    public var isSubcommand: Bool { type == 1 }
    public var isSubcommandGroup: Bool { type == 2 }
}

/// One predefined value of an option.
public struct ApplicationCommandChoice: Codable, Sendable, Equatable {
    /// A choice value: Discord allows strings, integers and doubles.
    public enum Value: Codable, Sendable, Equatable {
        case string(String)
        case integer(Int)
        case number(Double)

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Int.self) {
                self = .integer(value)
            } else if let value = try? container.decode(Double.self) {
                self = .number(value)
            } else {
                self = .string(try container.decode(String.self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let value): try container.encode(value)
            case .integer(let value): try container.encode(value)
            case .number(let value): try container.encode(value)
            }
        }
    }

    public var name: String
    public var value: Value

    public init(name: String, value: Value) {
        self.name = name
        self.value = value
    }
}
