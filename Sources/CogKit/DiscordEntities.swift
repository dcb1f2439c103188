/// The Discord user who ran a command, or a user picked in an option.
public struct User: Sendable, Decodable, Equatable {
    /// The user's id.
    public let id: Snowflake
    /// The unique username.
    public let username: String
    /// The display name chosen by the user, if any.
    public let globalName: String?

    /// The name to show: the display name if set, otherwise the username.
    public var displayName: String { globalName ?? username }

    /// - Parameters:
    ///   - id: The user's id.
    ///   - username: The unique username.
    ///   - globalName: The display name.
    public init(id: Snowflake, username: String, globalName: String? = nil) {
        self.id = id
        self.username = username
        self.globalName = globalName
    }

    enum CodingKeys: String, CodingKey {
        case id, username
        case globalName = "global_name"
    }
}

/// A channel picked in an option.
public struct Channel: Sendable, Equatable {
    /// The channel's id.
    public let id: Snowflake
    /// The channel's name, when Discord sent it.
    public let name: String?
    /// Mention text that Discord renders as a link to the channel.
    public var mention: String { "<#\(id)>" }
}

/// A role picked in an option.
public struct Role: Sendable, Equatable {
    /// The role's id.
    public let id: Snowflake
    /// The role's name, when Discord sent it.
    public let name: String?
    /// Mention text that Discord renders as the role.
    public var mention: String { "<@&\(id)>" }
}
