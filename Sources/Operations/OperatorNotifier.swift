import AsyncHTTPClient
import CogHost
import Foundation
import Logging
import ServiceLifecycle
import NIOCore
import NIOHTTP1

/// Tells the operators what they must not miss — the bot started, it restarted after a crash,
/// a reload or a backup failed — on a webhook and/or a channel (``NotificationTargets``).
///
/// ```swift
/// let notifier = OperatorNotifier(targets: settings.notifications, channelPoster: post, logger: logger)
/// let links = CogHost.Links(alerts: notifier.alert)     // failed reloads and backups become notices
/// notifier.notify("restarted after a crash: …")         // returns at once
/// try await ServiceGroup(services: [notifier, …], logger: logger).run()   // delivers
/// ```
///
/// ``notify(_:)`` only queues: delivery happens in ``run()``, so a slow or unreachable webhook
/// never holds up the bot. A notice that cannot be delivered is logged and dropped. A graceful
/// shutdown delivers what is queued, then stops.
public final class OperatorNotifier: Service {
    /// Posts a Discord message body to the notification channel.
    public typealias ChannelPoster = @Sendable (_ channel: UInt64, _ body: [UInt8]) async throws -> Void

    public let targets: NotificationTargets
    private let channelPoster: ChannelPoster?
    private let logger: Logger
    private let httpClient: HTTPClient
    private let work: AsyncStream<[UInt8]>
    private let queue: AsyncStream<[UInt8]>.Continuation

    /// - Parameter channelPoster: Posts to the notification channel (the bot's REST client);
    ///   without it, channel notices are not sent.
    public init(targets: NotificationTargets, channelPoster: ChannelPoster?, httpClient: HTTPClient = .shared, logger: Logger) {
        self.targets = targets
        self.channelPoster = channelPoster
        self.httpClient = httpClient
        self.logger = logger
        (work, queue) = AsyncStream.makeStream(of: [UInt8].self, bufferingPolicy: .bufferingNewest(100))
    }

    /// Queues `text` for every target.
    public func notify(_ text: String) {
        guard !targets.isEmpty else { return }
        queue.yield(Self.messageBody(text))
    }

    /// Queues a host's alert (a failed reload or backup) as a notice; for ``CogHost/Links/alerts``.
    @Sendable public func alert(_ alert: HostAlert) {
        notify("⚠️ " + alert.message)
    }

    /// Delivers queued notices until a graceful shutdown, then the ones still queued.
    public func run() async throws {
        await withGracefulShutdownHandler {
            for await body in work {
                if let webhook = targets.webhook { await post(body, to: webhook) }
                if let channel = targets.channel, let channelPoster { await post(body, to: channel, with: channelPoster) }
            }
        } onGracefulShutdown: {
            self.queue.finish()
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

    private func post(_ body: [UInt8], to channel: UInt64, with poster: ChannelPoster) async {
        do {
            try await poster(channel, body)
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
