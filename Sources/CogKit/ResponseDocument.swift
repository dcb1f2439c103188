internal import CogWire

extension ResponseDocument {
    /// The document for an error thrown by a handler: a ``CommandError``'s or ``OptionError``'s
    /// message is shown to the player; anything else gets the host's apology and goes to the log.
    static func forThrown(_ error: any Error, route: String) -> ResponseDocument {
        switch error {
        case let error as CommandError:
            .error(message: error.message, detail: "/\(route): \(error.message)")
        case let error as OptionError:
            .error(message: "The option `\(error.option)` \(error.problem).", detail: "/\(route): \(error)")
        default:
            .error(message: nil, detail: "/\(route) threw \(type(of: error)): \(error)")
        }
    }
}
