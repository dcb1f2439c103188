/// The parts of a Discord interaction object that CogKit reads. Unknown fields are ignored.
struct InteractionPayload: Decodable, Sendable {
    struct Member: Decodable, Sendable {
        var user: User?
        var permissions: String?
        var roles: [Snowflake]?
    }

    /// A member named in an option: their roles in the guild.
    struct ResolvedMember: Decodable, Sendable {
        var roles: [Snowflake]?
    }

    struct ResolvedChannel: Decodable, Sendable {
        var name: String?
    }

    struct ResolvedRole: Decodable, Sendable {
        var name: String?
    }

    struct ResolvedMessage: Decodable, Sendable {
        var id: Snowflake
        var channel_id: Snowflake?
        var content: String?
        var author: User?
    }

    struct Resolved: Decodable, Sendable {
        var users: [String: User]?
        var channels: [String: ResolvedChannel]?
        var roles: [String: ResolvedRole]?
        var messages: [String: ResolvedMessage]?
        var members: [String: ResolvedMember]?
    }

    /// A modal's row: one text input with what the player typed.
    struct ModalRow: Decodable, Sendable {
        struct Input: Decodable, Sendable {
            var custom_id: String?
            var value: String?
        }
        var components: [Input]?
    }

    struct CommandData: Decodable, Sendable {
        var name: String?
        var options: [OptionNode]?
        var resolved: Resolved?
        /// Components and modals.
        var custom_id: String?
        /// A select menu's picked values.
        var values: [String]?
        /// A modal's answers.
        var components: [ModalRow]?
        /// A context-menu command's user or message.
        var target_id: Snowflake?
    }

    /// The message a component sits on.
    struct ComponentMessage: Decodable, Sendable {
        var id: Snowflake
        var channel_id: Snowflake?
    }

    var id: Snowflake?
    var guild_id: Snowflake?
    var channel_id: Snowflake?
    var locale: String?
    var guild_locale: String?
    var member: Member?
    var user: User?
    var data: CommandData?
    var message: ComponentMessage?

    /// The options of the leaf command that was invoked, below any subcommand levels.
    var leafOptions: [OptionNode] {
        var nodes = data?.options ?? []
        while let first = nodes.first, first.type == 1 || first.type == 2 {
            nodes = first.options ?? []
        }
        return nodes
    }
}

/// One option value as Discord sends it.
struct OptionNode: Decodable, Sendable {
    var name: String
    var type: Int
    var value: OptionScalar?
    var options: [OptionNode]?
    /// Set on the option the player is typing, in an autocomplete request.
    var focused: Bool?
}

/// An option's raw value: Discord sends strings, numbers or booleans.
enum OptionScalar: Decodable, Sendable {
    case string(String)
    case integer(Int)
    case number(Double)
    case boolean(Bool)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .boolean(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }
}
