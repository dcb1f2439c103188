import DiscordModels
import Foundation

/// Messages the host itself writes to players and admins (errors, cooldowns, admin replies).
enum HostMessage {
    private struct Body: Encodable {
        var content: String?
        var embeds: [Embed]?
        var flags: Int?
    }

    /// An embed as Discord takes it.
    struct Embed: Encodable {
        struct Field: Encodable {
            var name: String
            var value: String
            var inline: Bool
        }
        var title: String
        var description: String?
        var color: Int?
        var fields: [Field]
    }

    /// A message only the player sees.
    static func ephemeral(_ content: String) -> [UInt8] {
        encode(Body(content: content, flags: MessageFlags.ephemeral))
    }

    /// An embed only the admin sees.
    static func ephemeral(embed: Embed) -> [UInt8] {
        encode(Body(embeds: [embed], flags: MessageFlags.ephemeral))
    }

    /// Sorted keys: the same message is always the same bytes (Foundation's key order varies).
    private static func encode(_ body: Body) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? Array(encoder.encode(body))) ?? Array("{\"content\":\"(unrenderable)\"}".utf8)
    }

    static let unavailable = "This command is not available right now. Please try again in a moment."
    static let failed = "Sorry, something went wrong while running this command. The bot's admins can see what happened in the logs."
    static let timedOut = "Sorry, this command took too long to answer. Please try again."
    static let turnedOff = "This command is turned off in this server."
    static let busy = "The bot is very busy right now. Please try again in a few seconds."

    static func cooldown(_ seconds: Double) -> String {
        let rounded = max(1, Int(seconds.rounded(.up)))
        return "You're using this command too fast. Try again in \(rounded) s."
    }
}
