/// Something an operator should hear about even when nobody is watching the logs.
public enum HostAlert: Sendable, Equatable {
    /// `/reload` failed; the previous generation keeps serving.
    case reloadFailed(cog: String, reason: String)
    /// A backup (scheduled or `/backup`) failed.
    case backupFailed(reason: String)

    /// One line for a person.
    public var message: String {
        switch self {
        case .reloadFailed(let cog, let reason): "reload of \(cog) failed; the previous build keeps serving: \(reason)"
        case .backupFailed(let reason): "backup failed: \(reason)"
        }
    }
}

/// Where the host reports ``HostAlert``s: the handler given at start-up (the operations
/// notifier) hears them; without one they are only logged, as they always are.
struct HostAlerts: Sendable {
    let handler: (@Sendable (HostAlert) -> Void)?

    func raise(_ alert: HostAlert) {
        handler?(alert)
    }
}
