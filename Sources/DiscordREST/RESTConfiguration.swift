import DiscordModels

/// How the REST client reaches Discord.
public struct RESTConfiguration: Sendable {
    public var token: BotToken
    /// The API base, e.g. `https://discord.com/api/v10`; point it at a simulator to test.
    public var apiBase: String
    /// The longest a single HTTP request may take.
    public var requestTimeout: Duration
    /// Requests per second allowed across all routes (interaction callbacks are exempt).
    public var globalLimit: Int
    /// Stop sending (except interaction answers) when this many invalid responses (401, 403,
    /// non-shared 429) arrived in ten minutes. Discord bans the IP at 10,000.
    public var invalidRequestBudget: Int
    /// How often a 5xx or a connection error is retried, for idempotent requests.
    public var maxServerErrorRetries: Int
    /// How often a request is retried after 429 responses before the caller gets an error.
    public var maxRateLimitRetries: Int
    /// HTTP connections kept per host.
    public var connectionsPerHost: Int

    public init(token: BotToken, apiBase: String = "https://discord.com/api/v10") {
        self.token = token
        var base = apiBase
        while base.hasSuffix("/") { base.removeLast() }
        self.apiBase = base
        self.requestTimeout = .seconds(15)
        self.globalLimit = 50
        self.invalidRequestBudget = 5_000
        self.maxServerErrorRetries = 3
        self.maxRateLimitRetries = 20
        self.connectionsPerHost = 32
    }
}
