import CCogABI

/// Why the host refused or failed a cog's service call; the cog receives the status and the
/// message, and the host logs it against the cog.
public struct ServiceError: Error, Sendable, CustomStringConvertible {
    /// How the cog should read the failure.
    public enum Kind: Sendable {
        /// The request was malformed or named an unknown service.
        case badRequest
        /// The cog asked for something it does not own (another cog's message).
        case denied
        /// The request was fine but the action failed (Discord refused, not connected).
        case failed
        /// The cache holds no such guild, channel, member or message.
        case notFound
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    var status: cog_status {
        switch kind {
        case .badRequest: COG_ERR_BAD_REQUEST
        case .denied: COG_ERR_DENIED
        case .failed: COG_ERR_FAILED
        case .notFound: COG_ERR_NOT_FOUND
        }
    }
}
