/// A type an option can be read as with ``CommandContext/option(_:)``.
///
/// CogKit provides `String`, `Int`, `Double`, `Bool`, ``User``, ``Channel`` and ``Role``.
public protocol OptionValue: Sendable {
    /// Reads the value from what the player entered, or returns `nil` when the kinds differ.
    init?(option: OptionInput)
}

/// What the player entered for one option, with the objects Discord resolved for it.
public struct OptionInput: Sendable {
    let scalar: OptionScalar
    let resolved: InteractionPayload.Resolved?

    var text: String? {
        switch scalar {
        case .string(let value): value
        case .integer(let value): String(value)
        default: nil
        }
    }
}

extension String: OptionValue {
    public init?(option: OptionInput) {
        guard case .string(let value) = option.scalar else { return nil }
        self = value
    }
}

extension Int: OptionValue {
    public init?(option: OptionInput) {
        switch option.scalar {
        case .integer(let value): self = value
        case .number(let value) where value == value.rounded(): self = Int(value)
        default: return nil
        }
    }
}

extension Double: OptionValue {
    public init?(option: OptionInput) {
        switch option.scalar {
        case .integer(let value): self = Double(value)
        case .number(let value): self = value
        default: return nil
        }
    }
}

extension Bool: OptionValue {
    public init?(option: OptionInput) {
        guard case .boolean(let value) = option.scalar else { return nil }
        self = value
    }
}

extension User: OptionValue {
    public init?(option: OptionInput) {
        guard let text = option.text, let id = Snowflake(text) else { return nil }
        self = option.resolved?.users?[text] ?? User(id: id, username: text)
    }
}

extension Channel: OptionValue {
    public init?(option: OptionInput) {
        guard let text = option.text, let id = Snowflake(text) else { return nil }
        self.init(id: id, name: option.resolved?.channels?[text]?.name)
    }
}

extension Role: OptionValue {
    public init?(option: OptionInput) {
        guard let text = option.text, let id = Snowflake(text) else { return nil }
        self.init(id: id, name: option.resolved?.roles?[text]?.name)
    }
}
