/// A database failure, with SQLite's own message and what was being done.
public struct StorageError: Error, Sendable, CustomStringConvertible, Equatable {
    /// SQLite's result code (`SQLITE_BUSY`, `SQLITE_CORRUPT`, …), or -1 for the host's own checks.
    public let code: Int32
    public let message: String
    /// What the host was doing: the statement, or the operation.
    public let context: String

    public init(code: Int32, message: String, context: String) {
        self.code = code
        self.message = message
        self.context = context
    }

    /// Whether a cog's statement was refused by its authorizer (``CogSQLPolicy``).
    public var isDenied: Bool { code == 23 /* SQLITE_AUTH */ }

    /// Whether the request itself was at fault (a bad key, scope or document), not SQLite.
    public var isBadRequest: Bool { code == -1 }

    public var description: String { "\(context): \(message) (SQLite code \(code))" }
}
