import AsyncHTTPClient
import CogHost
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Tells the operators what they must not miss — the bot started, it restarted after a crash,
/// a reload or a backup failed — on a webhook and/or a channel (``NotificationTargets``).
///
/// ```swift
/// let notifier = OperatorNotifier(targets: settings.notifications, logger: logger)
/// group.addTask { await notifier.run(forwardingAlertsOf: host) }  // delivers until cancelled
/// notifier.notify("restarted after a crash: …")                    // returns at once
/// notifier.attachChannel { body in try await rest.createMessage(channel: id, json: body) }
/// ```
///
/// ``notify(_:)`` only queues: delivery happens in ``run(forwardingAlertsOf:)``, so a slow or
/// unreachable webhook never holds up the bot. A notice that cannot be delivered is logged and
/// dropped. Channel notices wait (up to 20) until the bot is connected and ``attachChannel(_:)``
/// is called.
public final class OperatorNotifier: Sendable {
    /// Posts a Discord message body to the notification channel.
    public typealias ChannelPoster = @Sendable (_ body: [UInt8]) async throws -> Void

    private enum Work: Sendable {
        case notice([UInt8])
        case channelAttached(ChannelPoster)
    }

    public let targets: NotificationTargets
    private let logger: Logger
    private let httpClient: HTTPClient
    private let work: AsyncStream<Work>
    private let queue: AsyncStream<Work>.Continuation
    private static let channelQueueLimit = 20

    public init(targets: NotificationTargets, httpClient: HTTPClient = .shared, logger: Logger) {
        self.targets = targets
        self.httpClient = httpClient
        self.logger = logger
        (work, queue) = AsyncStream.makeStream(of: Work.self, bufferingPolicy: .bufferingNewest(100))
    }

    /// Queues `text` for every target.
    public func notify(_ text: String) {
        guard !targets.isEmpty else { return }
        queue.yield(.notice(Self.messageBody(text)))
    }

    /// Starts delivering channel notices through `poster` (the bot's REST client), beginning
    /// with those that waited for the connection.
    public func attachChannel(_ poster: @escaping ChannelPoster) {
        guard targets.channel != nil else { return }
        queue.yield(.channelAttached(poster))
    }

    /// Delivers queued notices, and the host's ``HostAlert``s as notices, until cancelled.
    public func run(forwardingAlertsOf host: CogHost) async {
        host.setAlertHandler { [self] alert in notify("⚠️ " + alert.message) }
        await withTaskCancellationHandler {
            var channelPoster: ChannelPoster?
            var waitingForChannel: [[UInt8]] = []
            for await item in work {
                switch item {
                case .notice(let body):
                    if let webhook = targets.webhook { await post(body, to: webhook) }
                    guard targets.channel != nil else { continue }
                    if let channelPoster {
                        await post(body, with: channelPoster)
                    } else if waitingForChannel.count < Self.channelQueueLimit {
                        waitingForChannel.append(body)
                    }
                case .channelAttached(let poster):
                    channelPoster = poster
                    for body in waitingForChannel { await post(body, with: poster) }
                    waitingForChannel = []
                }
            }
        } onCancel: {
            queue.finish()
        }
    }

    private func post(_ body: [UInt8], to webhook: URL) async {
        var request = HTTPClientRequest(url: webhook.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "DiscordBot (https://github.com/cogwheel, 1.0) Cogwheel")
        request.body = .bytes(ByteBuffer(bytes: body))
        let target = targets.redactedWebhook ?? "webhook"
        do {
            let response = try await httpClient.execute(request, timeout: .seconds(10))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            guard (200..<300).contains(response.status.code) else {
                logger.warning("the notification webhook refused a notice", metadata: ["webhook": "\(target)", "status": "\(response.status.code)"])
                return
            }
        } catch {
            logger.warning("could not reach the notification webhook", metadata: ["webhook": "\(target)", "error": "\(redacting(error))"])
        }
    }

    private func post(_ body: [UInt8], with poster: ChannelPoster) async {
        do {
            try await poster(body)
        } catch {
            logger.warning("could not post a notice to the notification channel",
                           metadata: ["channel": "\(targets.channel ?? 0)", "error": "\(redacting(error))"])
        }
    }

    /// Errors from the HTTP stack may quote the URL; its last segment is the webhook's secret.
    private func redacting(_ error: any Error) -> String {
        guard let secret = targets.webhook?.lastPathComponent, !secret.isEmpty else { return "\(error)" }
        return "\(error)".replacingOccurrences(of: secret, with: "…")
    }

    /// Discord's message body; mentions are disabled so a notice quoting a cog's error cannot ping anyone.
    static func messageBody(_ text: String) -> [UInt8] {
        let clipped = text.count > 1900 ? String(text.prefix(1900)) + "…" : text
        let object: [String: Any] = ["content": clipped, "allowed_mentions": ["parse": [String]()]]
        return Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8))
    }
}
