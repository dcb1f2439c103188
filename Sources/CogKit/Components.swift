internal import CogWire

/// A row of up to five buttons, or one select menu, under a message.
///
/// Each interactive component names an ``Action`` of the cog and carries a state string the
/// action receives (``CommandContext/state``). CogKit writes the custom_id as
/// `<cog>:<action>:<state>` (at most 100 bytes), so a click finds the cog's current
/// generation after a reload and still works after a restart: nothing is kept in memory.
///
/// ```swift
/// .message("Vote!", components: [
///     ActionRow([Button("Yes", action: "vote", state: "\(pollID):0"),
///                Button("No", action: "vote", state: "\(pollID):1", style: .danger)]),
/// ])
/// ```
public struct ActionRow: Sendable {
    /// What the row holds.
    public enum Item: Sendable {
        case button(Button)
        case select(SelectMenu)
    }

    /// The row's components.
    public var items: [Item]

    /// A row of buttons (up to five).
    public init(_ buttons: [Button]) { items = buttons.map(Item.button) }

    /// A row holding one select menu.
    public init(_ select: SelectMenu) { items = [.select(select)] }

    func write(to writer: inout JSONWriter, cog: String) throws(ComponentError) {
        var failure: ComponentError?
        writer.object { row in
            row.field("type", 1)
            row.key("components")
            row.array(items) { writer, item in
                do throws(ComponentError) {
                    switch item {
                    case .button(let button): try button.write(to: &writer, cog: cog)
                    case .select(let select): try select.write(to: &writer, cog: cog)
                    }
                } catch {
                    failure = error
                }
            }
        }
        if let failure { throw failure }
    }
}

/// A button that runs one of the cog's ``Action``s, or opens a link.
public struct Button: Sendable {
    /// How the button looks.
    public enum Style: Int, Sendable {
        case primary = 1, secondary = 2, success = 3, danger = 4
    }

    /// The text on the button, up to 80 characters.
    public var label: String
    public var style: Style
    /// An emoji shown before the label (a Unicode emoji such as "👍").
    public var emoji: String?
    public var disabled: Bool
    let target: Target

    enum Target: Sendable {
        case action(name: String, state: String)
        case link(String)
    }

    /// A button that runs the cog's action `action` with `state`.
    public init(_ label: String, action: String, state: String = "", style: Style = .primary, emoji: String? = nil,
                disabled: Bool = false) {
        self.label = label
        self.style = style
        self.emoji = emoji
        self.disabled = disabled
        target = .action(name: action, state: state)
    }

    /// A button that opens `url`; clicking it sends the bot nothing.
    public static func link(_ label: String, url: String, emoji: String? = nil) -> Button {
        Button(label: label, target: .link(url), emoji: emoji)
    }

    private init(label: String, target: Target, emoji: String?) {
        self.label = label
        self.style = .secondary
        self.emoji = emoji
        self.disabled = false
        self.target = target
    }

    func write(to writer: inout JSONWriter, cog: String) throws(ComponentError) {
        var customID: String?
        if case .action(let name, let state) = target { customID = try CustomID.make(cog: cog, action: name, state: state) }
        writer.object { button in
            button.field("type", 2)
            button.field("label", label)
            switch target {
            case .action:
                button.field("style", style.rawValue)
                button.field("custom_id", customID ?? "")
            case .link(let url):
                button.field("style", 5)
                button.field("url", url)
            }
            if let emoji {
                button.key("emoji")
                button.object { $0.field("name", emoji) }
            }
            if disabled { button.field("disabled", true) }
        }
    }
}

/// A drop-down of text choices that runs one of the cog's ``Action``s with the picked values
/// (``CommandContext/selectedValues``).
public struct SelectMenu: Sendable {
    /// One choice in the menu.
    public struct Option: Sendable {
        public var label: String
        public var value: String
        public var description: String?
        public var isDefault: Bool

        public init(_ label: String, value: String, description: String? = nil, isDefault: Bool = false) {
            self.label = label
            self.value = value
            self.description = description
            self.isDefault = isDefault
        }
    }

    public var action: String
    public var state: String
    public var options: [Option]
    public var placeholder: String?
    /// How many values a player must pick, and may pick.
    public var minValues: Int
    public var maxValues: Int

    /// - Parameters:
    ///   - action: The action that receives the picked values.
    ///   - state: A string the action receives with them.
    ///   - options: Up to 25 choices.
    public init(action: String, state: String = "", options: [Option], placeholder: String? = nil,
                minValues: Int = 1, maxValues: Int = 1) {
        self.action = action
        self.state = state
        self.options = options
        self.placeholder = placeholder
        self.minValues = minValues
        self.maxValues = maxValues
    }

    func write(to writer: inout JSONWriter, cog: String) throws(ComponentError) {
        let customID = try CustomID.make(cog: cog, action: action, state: state)
        writer.object { menu in
            menu.field("type", 3)
            menu.field("custom_id", customID)
            if let placeholder { menu.field("placeholder", placeholder) }
            menu.field("min_values", minValues)
            menu.field("max_values", maxValues)
            menu.key("options")
            menu.array(options) { writer, option in
                writer.object { object in
                    object.field("label", option.label)
                    object.field("value", option.value)
                    if let description = option.description { object.field("description", description) }
                    if option.isDefault { object.field("default", true) }
                }
            }
        }
    }
}

/// A form that pops up over Discord; its submit runs one of the cog's ``Action``s, which
/// reads the answers with ``CommandContext/modalValue(_:)``.
///
/// ```swift
/// return .modal(Modal("Suggest a poll", action: "create", fields: [
///     .init(id: "question", label: "Question", maxLength: 200),
///     .init(id: "options", label: "Options, one per line", style: .paragraph),
/// ]))
/// ```
public struct Modal: Sendable {
    /// One text input of the form.
    public struct Field: Sendable {
        public enum Style: Int, Sendable {
            case short = 1, paragraph = 2
        }

        public var id: String
        public var label: String
        public var style: Style
        public var required: Bool
        public var minLength: Int?
        public var maxLength: Int?
        public var placeholder: String?
        /// Text already filled in.
        public var value: String?

        public init(id: String, label: String, style: Style = .short, required: Bool = true, minLength: Int? = nil,
                    maxLength: Int? = nil, placeholder: String? = nil, value: String? = nil) {
            self.id = id
            self.label = label
            self.style = style
            self.required = required
            self.minLength = minLength
            self.maxLength = maxLength
            self.placeholder = placeholder
            self.value = value
        }
    }

    public var title: String
    public var action: String
    public var state: String
    /// Up to five fields.
    public var fields: [Field]

    public init(_ title: String, action: String, state: String = "", fields: [Field]) {
        self.title = title
        self.action = action
        self.state = state
        self.fields = fields
    }

    /// The modal's `data` object.
    func json(cog: String) throws(ComponentError) -> [UInt8] {
        let customID = try CustomID.make(cog: cog, action: action, state: state)
        var writer = JSONWriter()
        writer.object { modal in
            modal.field("custom_id", customID)
            modal.field("title", title)
            modal.key("components")
            modal.array(fields) { writer, field in
                writer.object { row in
                    row.field("type", 1)
                    row.key("components")
                    row.array([field]) { writer, field in
                        writer.object { input in
                            input.field("type", 4)
                            input.field("custom_id", field.id)
                            input.field("label", field.label)
                            input.field("style", field.style.rawValue)
                            input.field("required", field.required)
                            if let minLength = field.minLength { input.field("min_length", minLength) }
                            if let maxLength = field.maxLength { input.field("max_length", maxLength) }
                            if let placeholder = field.placeholder { input.field("placeholder", placeholder) }
                            if let value = field.value { input.field("value", value) }
                        }
                    }
                }
            }
        }
        return writer.bytes
    }
}

/// The custom_id format shared with the host's router: `<cog>:<action>:<state>`.
enum CustomID {
    static let maximumLength = 100

    static func make(cog: String, action: String, state: String) throws(ComponentError) -> String {
        guard !action.isEmpty, !action.contains(":") else {
            throw ComponentError("action name '\(action)' must be non-empty and contain no ':'")
        }
        let id = "\(cog):\(action):\(state)"
        guard id.utf8.count <= maximumLength else {
            throw ComponentError("custom_id '\(id.prefix(40))…' is \(id.utf8.count) bytes; Discord allows \(maximumLength). Keep the state short (an id, not the data)")
        }
        return id
    }

    /// Splits a route (`action:state`) the host passes for a component or modal.
    static func split(route: String) -> (action: String, state: String) {
        guard let colon = route.firstIndex(of: ":") else { return (route, "") }
        return (String(route[..<colon]), String(route[route.index(after: colon)...]))
    }
}

/// A component a reply declared cannot be sent; the message says how to fix it.
public struct ComponentError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
