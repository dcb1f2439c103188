/// The bot's token. It prints as `Bot ***` everywhere (logs, errors, `dump`), so it cannot
/// leak by accident; only the `Authorization` header and IDENTIFY read the secret.
public struct BotToken: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself. Read it only to authenticate.
    public let secret: String

    public init(_ secret: String) {
        self.secret = secret
    }

    /// The value of the `Authorization` header.
    public var authorizationHeader: String { "Bot \(secret)" }

    public var description: String { "Bot ***" }
    public var debugDescription: String { "Bot ***" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
