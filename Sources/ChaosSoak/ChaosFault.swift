import DiscordSimulator

/// One thing the simulated Discord does to the bot during a soak.
struct ChaosFault: Sendable {
    let name: String
    let inject: @Sendable (DiscordSimulator) -> Void

    func inject(into discord: DiscordSimulator) {
        inject(discord)
    }

    /// Every fault the soak draws from: what Discord's docs allow, not only what it usually does.
    static let all: [ChaosFault] = [
        ChaosFault(name: "TCP drop") { $0.inject(.dropConnection) },
        ChaosFault(name: "op 7") { $0.inject(.reconnect) },
        ChaosFault(name: "op 9 resumable, socket open") { $0.inject(.invalidSession(resumable: true, closeSocket: false)) },
        ChaosFault(name: "op 9 resumable, socket closed") { $0.inject(.invalidSession(resumable: true, closeSocket: true)) },
        ChaosFault(name: "op 9 not resumable, socket open") { $0.inject(.invalidSession(resumable: false, closeSocket: false)) },
        ChaosFault(name: "op 9 not resumable, socket closed") { $0.inject(.invalidSession(resumable: false, closeSocket: true)) },
        ChaosFault(name: "heartbeat ACKs lost") { $0.inject(.stopHeartbeatAcks) },
        ChaosFault(name: "429 storm (user)") { $0.inject(.rateLimitStorm(count: 6, scope: "user", retryAfter: 0.2)) },
        ChaosFault(name: "429 storm (global)") { $0.inject(.rateLimitStorm(count: 4, scope: "global", retryAfter: 0.3)) },
        ChaosFault(name: "slow REST") { $0.inject(.slowResponses(count: 5, seconds: 0.8)) },
        ChaosFault(name: "502s") { $0.inject(.serverErrors(count: 3)) },
    ]
}
