/// An error whose message is meant for the player.
///
/// Throw it from a handler when the player can fix the problem; the message is shown to them
/// alone. Any other error shows a generic apology to the player and its details go to the
/// host's log.
///
/// ```swift
/// guard count <= 100 else {
///     throw CommandError("You can roll at most 100 dice at once.")
/// }
/// ```
public struct CommandError: Error, Sendable, CustomStringConvertible {
    /// Shown to the player, ephemerally.
    public let message: String

    /// - Parameter message: What the player sees; say what to do differently.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// A problem reading an option; its message is shown to the player.
public struct OptionError: Error, Sendable, CustomStringConvertible {
    /// The option's name.
    public let option: String
    /// What went wrong, in words a player understands.
    public let problem: String

    public var description: String { "option '\(option)': \(problem)" }
}
