import DiscordModels

/// How the bot connects to the gateway.
public struct GatewayConfiguration: Sendable {
    public var token: BotToken
    public var intents: GatewayIntents
    public var presence: GatewayIdentify.Presence?
    /// Ask for `zlib-stream` transport compression.
    public var compression: Bool
    /// The Discord API version in the gateway URL.
    public var apiVersion: Int
    /// The largest gateway message accepted; a larger one closes the connection, which resumes.
    public var maxMessageSize: Int
    /// Reconnect delays grow from `reconnectBase` to at most `reconnectMaximum`, with jitter.
    public var reconnectBase: Duration
    public var reconnectMaximum: Duration
    /// After op 9 with `d: false`, wait a random time in this range before identifying again.
    public var invalidSessionDelay: ClosedRange<Double>
    /// At most this many sends per `sendWindow`; heartbeats have their own reserve inside it.
    public var sendLimit: Int
    public var sendWindow: Duration
    /// With the GUILD_MEMBERS intent, ask for the whole member list (op 8) of each guild whose
    /// GUILD_CREATE carries only part of it: every guild without GUILD_PRESENCES, the large ones with it.
    public var requestsMemberLists: Bool

    public init(
        token: BotToken, intents: GatewayIntents = .default, presence: GatewayIdentify.Presence? = nil,
        compression: Bool = true, apiVersion: Int = 10, maxMessageSize: Int = 64 << 20
    ) {
        self.token = token
        self.intents = intents
        self.presence = presence
        self.compression = compression
        self.apiVersion = apiVersion
        self.maxMessageSize = maxMessageSize
        self.reconnectBase = .seconds(1)
        self.reconnectMaximum = .seconds(60)
        self.invalidSessionDelay = 1...5
        self.sendLimit = 120
        self.sendWindow = .seconds(60)
        self.requestsMemberLists = true
    }

    /// `base` with the query Discord expects: `?v=10&encoding=json[&compress=zlib-stream]`.
    func connectionURL(base: String) -> String {
        var url = base
        while url.hasSuffix("/") { url.removeLast() }
        if let query = url.firstIndex(of: "?") { url = String(url[..<query]) }
        // Discord's own URL has no path (`wss://gateway.discord.gg`); a gateway elsewhere may.
        let hasPath = url.split(separator: "://", maxSplits: 1).last?.contains("/") ?? false
        url += hasPath ? "?" : "/?"
        url += "v=\(apiVersion)&encoding=json"
        if compression { url += "&compress=zlib-stream" }
        return url
    }
}
