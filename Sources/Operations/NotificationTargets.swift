import DiscordModels
import Foundation

/// Where operator notices go: a Discord webhook, a channel the bot posts to, both, or nowhere.
///
/// The webhook URL holds a secret (its last path segment); ``description`` and every log line
/// show only its host and id.
public struct NotificationTargets: Sendable, Equatable, CustomStringConvertible {
    /// `https://discord.com/api/webhooks/ID/TOKEN` or any URL accepting Discord's execute-webhook body.
    public var webhook: URL?
    /// A channel id; the bot posts there with its own REST client.
    public var channel: UInt64?

    public init(webhook: URL? = nil, channel: UInt64? = nil) {
        self.webhook = webhook
        self.channel = channel
    }

    /// Parses `COGWHEEL_NOTIFY_WEBHOOK` and `COGWHEEL_NOTIFY_CHANNEL`; empty means unset.
    /// - Throws: ``OperationsSettingsError`` naming each invalid variable (never the webhook's secret).
    public init(webhook: String?, channel: String?) throws(OperationsSettingsError) {
        var problems: [String] = []
        if let webhook, !webhook.isEmpty {
            if let url = URL(string: webhook), ["http", "https"].contains(url.scheme ?? ""), url.host != nil, url.pathComponents.count >= 3 {
                self.webhook = url
            } else {
                problems.append("COGWHEEL_NOTIFY_WEBHOOK must be a webhook URL like https://discord.com/api/webhooks/ID/TOKEN")
            }
        }
        if let channel, !channel.isEmpty {
            if let id = UInt64(channel), id > 0 {
                self.channel = id
            } else {
                problems.append("COGWHEEL_NOTIFY_CHANNEL must be a channel id (a number), not \(SettingValue.shown(channel))")
            }
        }
        guard problems.isEmpty else { throw OperationsSettingsError(problems: problems) }
    }

    public var isEmpty: Bool { webhook == nil && channel == nil }

    /// The webhook without its secret: `https://discord.com/…/ID`.
    public var redactedWebhook: String? {
        webhook.map { url in
            let id = url.deletingLastPathComponent().lastPathComponent
            return "\(url.scheme ?? "https")://\(url.host ?? "?")/…/\(id)"
        }
    }

    public var description: String {
        let parts = [redactedWebhook.map { "webhook \($0)" }, channel.map { "channel \($0)" }].compactMap { $0 }
        return parts.isEmpty ? "off" : parts.joined(separator: " and ")
    }
}
