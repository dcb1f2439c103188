/// Interaction types Discord sends (the `type` field of an interaction object).
public enum InteractionType: Int, Sendable {
    case ping = 1
    case applicationCommand = 2
    case messageComponent = 3
    case applicationCommandAutocomplete = 4
    case modalSubmit = 5
}

/// Interaction callback types (the `type` field of an interaction response).
public enum InteractionCallbackType: Int, Sendable {
    case pong = 1
    case channelMessageWithSource = 4
    case deferredChannelMessageWithSource = 5
    case deferredUpdateMessage = 6
    case updateMessage = 7
    case applicationCommandAutocompleteResult = 8
    case modal = 9
}

/// Message flags Cogwheel sets.
public enum MessageFlags {
    /// Only the user who ran the interaction sees the message.
    public static let ephemeral = 64
}
