/// Response documents for failures, in the format the host expects (see docs/cog-abi.md).
enum ResponseDocument {
    /// A failure: `playerMessage` (if any) is shown to the player, `detail` goes to the log.
    static func error(playerMessage: String?, detail: String) -> [UInt8] {
        var writer = JSONWriter()
        writer.object { object in
            object.field("kind", "error")
            if let playerMessage { object.field("message", playerMessage) }
            object.field("detail", detail)
        }
        return writer.bytes
    }

    /// The document for an error thrown by a handler.
    static func forThrown(_ error: any Error, route: String) -> [UInt8] {
        switch error {
        case let error as CommandError:
            return Self.error(playerMessage: error.message, detail: "/\(route): \(error.message)")
        case let error as OptionError:
            return Self.error(playerMessage: "The option `\(error.option)` \(error.problem).",
                              detail: "/\(route): \(error)")
        default:
            return Self.error(playerMessage: nil, detail: "/\(route) threw \(type(of: error)): \(error)")
        }
    }
}
