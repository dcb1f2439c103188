/// A slash command, a subcommand, or a group of subcommands, with its handler.
///
/// ```swift
/// Command("roll", "Roll dice, e.g. 2d6+3",
///         options: [.string("dice", "What to roll", required: true, maxLength: 64)],
///         cooldown: Cooldown(rate: 5, per: 10, scope: .user)) { cog, context in
///     let expression: String = try context.option("dice")
///     return .message("You rolled \(expression)")
/// }
///
/// Command("config", "Change settings", subcommands: [
///     Command("show", "Show the settings") { cog, context in .message("…", ephemeral: true) },
/// ])
/// ```
public struct Command<C: Cog>: Sendable {
    /// Runs the command for one interaction and produces the reply.
    public typealias Handler = @Sendable (C, CommandContext) async throws -> Reply
    /// Suggests values for the option the player is typing (``CommandContext/focusedOption``):
    /// at most 25, within Discord's 3-second deadline. A thrown error suggests nothing.
    public typealias Completer = @Sendable (C, CommandContext) async throws -> [Choice]

    /// The name players type: 1–32 lowercase characters.
    public let name: String
    /// Shown under the name in Discord: 1–100 characters.
    public let description: String
    /// Options, required ones first. Empty for a command with subcommands.
    public let options: [CommandOption]
    /// Subcommands (or groups of them). Empty for a leaf command.
    public let subcommands: [Command<C>]
    /// How often one player (or channel, guild, …) may run this command.
    public let cooldown: Cooldown?
    /// Permissions a member needs by default to see the command (top level only).
    public let defaultMemberPermissions: Permissions?
    /// 1 for a slash command, 2 for a user context-menu command, 3 for a message one.
    public let type: Int
    let handler: Handler?
    let completer: Completer?

    /// Declares a leaf command with its handler.
    ///
    /// - Parameters:
    ///   - name: The command name, 1–32 lowercase characters.
    ///   - description: 1–100 characters.
    ///   - options: The command's options, required ones first.
    ///   - cooldown: An optional rate limit, kept by the host across reloads.
    ///   - defaultMemberPermissions: Permissions needed to see the command by default.
    ///   - autocomplete: Suggests values for options declared with `autocomplete: true`:
    ///     ```swift
    ///     autocomplete: { _, context in
    ///         let typed = context.focusedOption?.value ?? ""
    ///         return ["2d6", "1d20", "4d6kh3"].filter { $0.hasPrefix(typed) }.map { Choice($0, $0) }
    ///     }
    ///     ```
    ///   - handler: Produces the reply; thrown errors become a friendly ephemeral message.
    public init(
        _ name: String,
        _ description: String,
        options: [CommandOption] = [],
        cooldown: Cooldown? = nil,
        defaultMemberPermissions: Permissions? = nil,
        autocomplete: Completer? = nil,
        handler: @escaping Handler
    ) {
        self.completer = autocomplete
        self.type = 1
        self.name = name
        self.description = description
        self.options = options
        self.subcommands = []
        self.cooldown = cooldown
        self.defaultMemberPermissions = defaultMemberPermissions
        self.handler = handler
    }

    /// Declares a command (or a subcommand group) whose subcommands do the work.
    ///
    /// - Parameters:
    ///   - name: The command name, 1–32 lowercase characters.
    ///   - description: 1–100 characters.
    ///   - defaultMemberPermissions: Permissions needed to see the command by default.
    ///   - subcommands: Leaf commands, or groups of leaf commands (at most two levels).
    public init(
        _ name: String,
        _ description: String,
        defaultMemberPermissions: Permissions? = nil,
        subcommands: [Command<C>]
    ) {
        self.type = 1
        self.name = name
        self.description = description
        self.options = []
        self.subcommands = subcommands
        self.cooldown = nil
        self.defaultMemberPermissions = defaultMemberPermissions
        self.handler = nil
        self.completer = nil
    }

    private init(contextMenu name: String, type: Int, defaultMemberPermissions: Permissions?, handler: @escaping Handler) {
        self.type = type
        self.name = name
        self.description = ""
        self.options = []
        self.subcommands = []
        self.cooldown = nil
        self.defaultMemberPermissions = defaultMemberPermissions
        self.handler = handler
        self.completer = nil
    }

    /// A command in a user's context menu (Apps → name); the handler reads the user as
    /// ``CommandContext/targetUser``.
    ///
    /// ```swift
    /// Command.user("Show XP") { cog, context in
    ///     guard let member = context.targetUser else { throw CommandError("Pick a member.") }
    ///     return .message("\(member.displayName) has …", ephemeral: true)
    /// }
    /// ```
    ///
    /// - Parameter name: 1–32 characters; spaces and capitals allowed.
    public static func user(_ name: String, defaultMemberPermissions: Permissions? = nil,
                            handler: @escaping Handler) -> Command {
        Command(contextMenu: name, type: 2, defaultMemberPermissions: defaultMemberPermissions, handler: handler)
    }

    /// A command in a message's context menu; the handler reads the message as
    /// ``CommandContext/targetMessage``.
    public static func message(_ name: String, defaultMemberPermissions: Permissions? = nil,
                               handler: @escaping Handler) -> Command {
        Command(contextMenu: name, type: 3, defaultMemberPermissions: defaultMemberPermissions, handler: handler)
    }

    /// Every leaf command under this one, keyed by its route ("config show").
    func routes(prefix: String = "") -> [(route: String, command: Command<C>)] {
        let route = prefix.isEmpty ? name : "\(prefix) \(name)"
        if subcommands.isEmpty { return [(route, self)] }
        return subcommands.flatMap { $0.routes(prefix: route) }
    }
}
