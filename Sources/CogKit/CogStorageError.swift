/// A storage call the host refused or could not complete.
///
/// Left uncaught in a handler, the player sees a friendly "something went wrong" and the admin
/// finds this message in the log.
public struct CogStorageError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The statement touched a table the cog does not own, or something cogs may not use.
        case denied
        /// The call itself was wrong: bad scope ids, too long a key, too large a value.
        case badRequest
        /// SQLite failed: a constraint, a syntax error, a full disk.
        case database
        /// The host offers no storage (an older host).
        case unavailable
    }

    public let kind: Kind
    /// The host's reason.
    public let message: String

    public var description: String { message }
}
