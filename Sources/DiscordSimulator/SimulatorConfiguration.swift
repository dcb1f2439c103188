import DiscordModels

/// How the simulated Discord behaves.
public struct SimulatorConfiguration: Sendable {
    /// A guild the bot is in, with one text channel.
    public struct Guild: Sendable {
        public var id: Snowflake
        public var name: String
        public var channelID: Snowflake

        public init(id: Snowflake, name: String, channelID: Snowflake) {
            self.id = id
            self.name = name
            self.channelID = channelID
        }
    }

    /// A rate limit: `limit` requests per `window` seconds.
    public struct Limit: Sendable {
        public var limit: Int
        public var window: Double

        public init(limit: Int, window: Double) {
            self.limit = limit
            self.window = window
        }
    }

    /// Who owns the application, as `GET /applications/@me` says.
    public enum ApplicationOwner: Sendable {
        case user(Snowflake)
        /// A team: Discord then sends a stand-in `owner` user for the team.
        case team(Team)
    }

    /// A developer team that owns the application.
    public struct Team: Sendable {
        public struct Member: Sendable {
            public var userID: Snowflake
            /// `admin`, `developer` or `read_only`.
            public var role: String
            public var accepted: Bool

            public init(userID: Snowflake, role: String, accepted: Bool = true) {
                self.userID = userID
                self.role = role
                self.accepted = accepted
            }
        }

        public var id: Snowflake
        public var ownerUserID: Snowflake
        public var members: [Member]

        public init(id: Snowflake, ownerUserID: Snowflake, members: [Member]) {
            self.id = id
            self.ownerUserID = ownerUserID
            self.members = members
        }
    }

    /// Loopback only: the simulator is for tests, benchmarks and the demo.
    public var host = "127.0.0.1"
    /// 0 picks a free port.
    public var port = 0
    /// The token the bot must present.
    public var token: String
    public var applicationID: Snowflake = 1_100_000_000_000_000_001
    public var botUserID: Snowflake = 1_100_000_000_000_000_001
    public var botUsername = "Cogwheel"
    public var applicationOwner = ApplicationOwner.user(SimulatorConfiguration.defaultOwnerID)
    /// Channels where the bot may not post: creating a message there gets 403 Missing Permissions.
    public var forbiddenChannels: Set<Snowflake> = []
    /// The permissions of the bot's own role ("Cogwheel", managed, at ``botRolePosition``) in
    /// every guild, besides @everyone's. By default what a moderation bot is invited with: kick,
    /// ban, time out, manage messages, roles, nicknames and threads, create threads, attach files.
    public var botPermissions: UInt64 = 1 << 1 | 1 << 2 | 1 << 13 | 1 << 14 | 1 << 15 | 1 << 27 | 1 << 28 | 1 << 34 | 1 << 35
        | 1 << 36 | 1 << 38 | 1 << 40
    /// Where the bot's role sits; roles the world creates start at position 1, below it.
    public var botRolePosition = 10
    /// Users whose DMs are closed to the bot: a DM to them gets 403 (50007).
    public var closedDirectMessages: Set<Snowflake> = []
    /// The user who owns the application unless ``applicationOwner`` says otherwise.
    public static let defaultOwnerID: Snowflake = 1_100_000_000_000_000_100
    /// Who owns every simulated guild: above every role, never moderated (Discord's rule).
    public var guildOwnerID: Snowflake = SimulatorConfiguration.defaultOwnerID
    public var guilds: [Guild] = [Guild(id: 900_000_000_000_000_001, name: "Cogwheel Test Guild", channelID: 900_000_000_000_000_002)]
    /// Members each guild has from the start (`member1`, `member2`, …), besides those who join
    /// later; a guild of 50 or more is `large` and its list comes with op 8.
    public var membersPerGuild = 0
    /// An incoming webhook (`POST /webhooks/{id}/{token}`) posting to a channel, as a server's
    /// integrations settings create one; `nil` for none.
    public var incomingWebhook: IncomingWebhook?
    /// Milliseconds between heartbeats that HELLO asks for (Discord: 41250).
    public var heartbeatInterval = 41_250
    /// What `GET /gateway/bot` recommends.
    public var recommendedShards = 1
    public var maxConcurrency = 1
    public var sessionStartLimit = 1000
    /// Per-route limit for channel messages (Discord: 5 per 5 s per channel).
    public var messageLimit = Limit(limit: 5, window: 5)
    /// Limit for every other route, per route and top-level resource.
    public var defaultLimit = Limit(limit: 50, window: 1)
    /// Requests per second per token across routes, interaction callbacks excepted.
    public var globalLimit = 50
    /// Intents the application may use; asking for others closes with 4014.
    public var allowedIntents: GatewayIntents = GatewayIntents(rawValue: (1 << 26) - 1)
    /// Events kept per session for replay on RESUME.
    public var replayBufferSize = 10_000
    /// Largest frame the simulator accepts from a client.
    public var maxInboundFrameSize = 1 << 20

    public init(token: String) {
        self.token = token
    }

    /// A channel's incoming webhook: its URL is `…/webhooks/ID/TOKEN`.
    public struct IncomingWebhook: Sendable {
        public var id: Snowflake
        public var token: String
        public var channelID: Snowflake

        public init(id: Snowflake, token: String, channelID: Snowflake) {
            (self.id, self.token, self.channelID) = (id, token, channelID)
        }
    }
}
