import Synchronization

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

/// Where the host reports ``HostAlert``s: whoever installed a handler (the operations
/// notifier) hears them; without one they are only logged, as they always are.
final class HostAlerts: Sendable {
    private let handler = Mutex<(@Sendable (HostAlert) -> Void)?>(nil)

    func set(_ handler: @escaping @Sendable (HostAlert) -> Void) {
        self.handler.withLock { $0 = handler }
    }

    func raise(_ alert: HostAlert) {
        handler.withLock { $0 }?(alert)
    }
}
