/// A handler for the cog's buttons, select menus or modals, found by name.
///
/// Components and modals name the action they run and carry a state string; the handler
/// reads it as ``CommandContext/state``, along with ``CommandContext/selectedValues`` for a
/// select menu or ``CommandContext/modalValue(_:)`` for a modal. Since nothing is kept in
/// memory, buttons keep working after a reload and after a restart.
///
/// ```swift
/// static var actions: [Action<Polls>] {
///     [
///         Action("vote") { cog, context in
///             let (poll, option) = try cog.parseVote(context.state)
///             try cog.record(vote: option, in: poll, by: context.user.id, context.storage)
///             return .message("Vote counted.", ephemeral: true)
///         },
///     ]
/// }
/// ```
public struct Action<C: Cog>: Sendable {
    /// Produces the answer to a click, a pick or a submit.
    public typealias Handler = @Sendable (C, CommandContext) async throws -> Reply

    /// The name components refer to: no `:`.
    public let name: String
    let handler: Handler

    public init(_ name: String, handler: @escaping Handler) {
        self.name = name
        self.handler = handler
    }
}
