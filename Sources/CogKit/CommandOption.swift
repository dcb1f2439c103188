internal import CogWire

/// One typed option of a slash command.
///
/// ```swift
/// .string("dice", "What to roll, e.g. 2d6+3", required: true, maxLength: 64)
/// .integer("count", "How many", min: 1, max: 10)
/// .string("colour", "Pick one", choices: [Choice("Red", "red"), Choice("Blue", "blue")])
/// .user("target", "Who to poke", required: true)
/// ```
public struct CommandOption: Sendable {
    /// Discord's application command option types that carry a value.
    public enum Kind: Int, Sendable {
        case string = 3
        case integer = 4
        case boolean = 5
        case user = 6
        case channel = 7
        case role = 8
        case mentionable = 9
        case number = 10
        case attachment = 11
    }

    /// 1–32 lowercase characters, unique within the command.
    public let name: String
    /// 1–100 characters.
    public let description: String
    /// The value's type.
    public let kind: Kind
    /// Whether the player must fill it in. Required options come first.
    public let required: Bool
    /// Fixed values to pick from (at most 25), for strings, integers and numbers.
    public let choices: [Choice]
    /// Smallest allowed value, for integers and numbers.
    public let minValue: Double?
    /// Largest allowed value, for integers and numbers.
    public let maxValue: Double?
    /// Shortest allowed length, for strings.
    public let minLength: Int?
    /// Longest allowed length, for strings.
    public let maxLength: Int?
    /// Whether Discord asks the command's autocomplete handler for suggestions while the
    /// player types (strings, integers and numbers; not with `choices`).
    public let autocomplete: Bool

    init(
        _ name: String, _ description: String, kind: Kind, required: Bool, choices: [Choice] = [],
        minValue: Double? = nil, maxValue: Double? = nil, minLength: Int? = nil, maxLength: Int? = nil,
        autocomplete: Bool = false
    ) {
        self.autocomplete = autocomplete
        self.name = name
        self.description = description
        self.kind = kind
        self.required = required
        self.choices = choices
        self.minValue = minValue
        self.maxValue = maxValue
        self.minLength = minLength
        self.maxLength = maxLength
    }

    /// A text option; read it with `let value: String = try context.option(name)`.
    /// With `autocomplete: true`, the command's `autocomplete` handler suggests values.
    public static func string(
        _ name: String, _ description: String, required: Bool = false, choices: [Choice] = [],
        minLength: Int? = nil, maxLength: Int? = nil, autocomplete: Bool = false
    ) -> CommandOption {
        CommandOption(name, description, kind: .string, required: required, choices: choices,
                      minLength: minLength, maxLength: maxLength, autocomplete: autocomplete)
    }

    /// A whole-number option; read it as `Int`.
    public static func integer(
        _ name: String, _ description: String, required: Bool = false, choices: [Choice] = [],
        min: Int? = nil, max: Int? = nil
    ) -> CommandOption {
        CommandOption(name, description, kind: .integer, required: required, choices: choices,
                      minValue: min.map(Double.init), maxValue: max.map(Double.init))
    }

    /// A decimal option; read it as `Double`.
    public static func number(
        _ name: String, _ description: String, required: Bool = false, choices: [Choice] = [],
        min: Double? = nil, max: Double? = nil
    ) -> CommandOption {
        CommandOption(name, description, kind: .number, required: required, choices: choices,
                      minValue: min, maxValue: max)
    }

    /// A true/false option; read it as `Bool`.
    public static func boolean(_ name: String, _ description: String, required: Bool = false) -> CommandOption {
        CommandOption(name, description, kind: .boolean, required: required)
    }

    /// A user option; read it as ``User``.
    public static func user(_ name: String, _ description: String, required: Bool = false) -> CommandOption {
        CommandOption(name, description, kind: .user, required: required)
    }

    /// A channel option; read it as ``Channel``.
    public static func channel(_ name: String, _ description: String, required: Bool = false) -> CommandOption {
        CommandOption(name, description, kind: .channel, required: required)
    }

    /// A role option; read it as ``Role``.
    public static func role(_ name: String, _ description: String, required: Bool = false) -> CommandOption {
        CommandOption(name, description, kind: .role, required: required)
    }
}

/// One fixed value a player can pick for an option.
///
/// ```swift
/// Choice("Six-sided", 6)
/// Choice("Red", "red")
/// ```
public struct Choice: Sendable {
    /// A choice's value: text, a whole number or a decimal, matching the option's kind.
    public enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int)
        case number(Double)
    }

    /// What the player sees, 1–100 characters.
    public let name: String
    /// What the handler receives.
    public let value: Value

    /// A text choice.
    public init(_ name: String, _ value: String) { self.init(name: name, value: .string(value)) }
    /// A whole-number choice.
    public init(_ name: String, _ value: Int) { self.init(name: name, value: .integer(value)) }
    /// A decimal choice.
    public init(_ name: String, _ value: Double) { self.init(name: name, value: .number(value)) }

    /// The response document for autocomplete suggestions (Discord shows at most 25).
    static func suggestionDocument(_ choices: [Choice]) -> ResponseDocument {
        var writer = JSONWriter()
        writer.array(Array(choices.prefix(25))) { $1.write(to: &$0) }
        return .choices(writer.bytes)
    }

    /// Discord's choice object: `{"name": …, "value": …}`.
    func write(to writer: inout JSONWriter) {
        writer.object {
            $0.field("name", name)
            switch value {
            case .string(let value): $0.field("value", value)
            case .integer(let value): $0.field("value", value)
            case .number(let value): $0.field("value", value)
            }
        }
    }

    init(name: String, value: Value) {
        self.name = name
        self.value = value
    }
}
