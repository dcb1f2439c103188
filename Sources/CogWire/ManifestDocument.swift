/// What a cog declares in its descriptor's `manifest_json` (docs/cog-abi.md, "The manifest"):
/// its Discord commands, the cooldowns and jobs the host keeps for it, and the gateway events
/// it listens to.
///
/// ```swift
/// var manifest = ManifestDocument()
/// manifest.events = ["GUILD_MEMBER_ADD"]
/// manifest.encoded()   // {"commands":[],"cooldowns":[],"jobs":[],"events":["GUILD_MEMBER_ADD"]}
/// ```
public struct ManifestDocument: WireDocument {
    /// A cooldown on one command route (`"config set"` for a subcommand).
    public struct Cooldown: Sendable, Equatable {
        public var route: String
        public var rate: Int
        public var per: Double
        /// `user`, `member`, `channel`, `guild` or `global`.
        public var scope: String

        public init(route: String, rate: Int, per: Double, scope: String) {
            self.route = route
            self.rate = rate
            self.per = per
            self.scope = scope
        }
    }

    /// A scheduled job. At most one of `cron`, `everySeconds` and `at`; none means the cog
    /// schedules its runs itself.
    public struct Job: Sendable, Equatable {
        public var name: String
        public var cron: String?
        public var everySeconds: Double?
        /// A local date and time (`2026-12-31T23:59`) in ``timeZone``.
        public var at: String?
        /// An IANA name; UTC by default.
        public var timeZone: String?
        public var misfireGraceSeconds: Double?
        public var coalesce: Bool?

        public init(name: String, cron: String? = nil, everySeconds: Double? = nil, at: String? = nil,
                    timeZone: String? = nil, misfireGraceSeconds: Double? = nil, coalesce: Bool? = nil) {
            self.name = name
            self.cron = cron
            self.everySeconds = everySeconds
            self.at = at
            self.timeZone = timeZone
            self.misfireGraceSeconds = misfireGraceSeconds
            self.coalesce = coalesce
        }
    }

    /// Discord application command objects, passed through to Discord's command sync.
    public var commands: [[UInt8]]
    public var cooldowns: [Cooldown]
    public var jobs: [Job]
    /// Gateway dispatch names the cog listens to (`MESSAGE_CREATE`); the host derives the
    /// gateway intents from them.
    public var events: [String]
    /// Intents needed beyond those of the events: `MESSAGE_CONTENT`, which no event implies.
    public var intents: [String]
    /// Whether the cog also hears the messages the bot itself sends.
    public var ownMessages: Bool
    /// The Discord capabilities the cog uses (``CogCapability`` names, `members.moderate`).
    public var capabilities: [String]

    public init(commands: [[UInt8]] = [], cooldowns: [Cooldown] = [], jobs: [Job] = [], events: [String] = [],
                intents: [String] = [], ownMessages: Bool = false, capabilities: [String] = []) {
        self.commands = commands
        self.cooldowns = cooldowns
        self.jobs = jobs
        self.events = events
        self.intents = intents
        self.ownMessages = ownMessages
        self.capabilities = capabilities
    }

    public func encoded() -> [UInt8] {
        var writer = JSONWriter()
        writer.object { manifest in
            manifest.key("commands")
            manifest.array(commands) { $0.raw($1) }
            manifest.key("cooldowns")
            manifest.array(cooldowns) { writer, cooldown in
                writer.object {
                    $0.field("route", cooldown.route)
                    $0.field("rate", cooldown.rate)
                    $0.field("per", cooldown.per)
                    $0.field("scope", cooldown.scope)
                }
            }
            manifest.key("jobs")
            manifest.array(jobs) { writer, job in
                writer.object { object in
                    object.field("name", job.name)
                    if let cron = job.cron { object.field("cron", cron) }
                    if let every = job.everySeconds { object.field("every_seconds", every) }
                    if let at = job.at { object.field("at", at) }
                    if let zone = job.timeZone { object.field("time_zone", zone) }
                    if let grace = job.misfireGraceSeconds { object.field("misfire_grace_seconds", grace) }
                    if let coalesce = job.coalesce { object.field("coalesce", coalesce) }
                }
            }
            // Written only when used, so the manifest of a cog without listeners reads as before.
            if !events.isEmpty {
                manifest.key("events")
                manifest.array(events) { $0.string($1) }
            }
            if !intents.isEmpty {
                manifest.key("intents")
                manifest.array(intents) { $0.string($1) }
            }
            if ownMessages { manifest.field("own_messages", true) }
            if !capabilities.isEmpty {
                manifest.key("capabilities")
                manifest.array(capabilities) { $0.string($1) }
            }
        }
        return writer.bytes
    }

    public init(scanning bytes: [UInt8]) throws(WireError) {
        var manifest = ManifestDocument()
        try JSONScanner.document("manifest", bytes) { scanner in
            guard scanner.peekKind() == .object else { throw WireError(field: "manifest", problem: "must be a JSON object") }
            try scanner.readObject { scanner, key in
                switch key {
                case "commands":
                    try Self.requireArray(&scanner, "commands")
                    try scanner.readArray { scanner, index in
                        guard scanner.peekKind() == .object else { throw WireError(field: "commands[\(index)]", problem: "must be an object") }
                        manifest.commands.append(Array(bytes[try scanner.skipValue()]))
                    }
                case "cooldowns":
                    try Self.requireArray(&scanner, "cooldowns")
                    try scanner.readArray { scanner, index in manifest.cooldowns.append(try Self.readCooldown(&scanner, "cooldowns[\(index)]")) }
                case "jobs":
                    try Self.requireArray(&scanner, "jobs")
                    try scanner.readArray { scanner, index in manifest.jobs.append(try Self.readJob(&scanner, "jobs[\(index)]")) }
                case "events": manifest.events = try scanner.requireStrings("events")
                case "intents": manifest.intents = try scanner.requireStrings("intents")
                case "own_messages": manifest.ownMessages = try scanner.requireBool("own_messages")
                case "capabilities": manifest.capabilities = try scanner.requireStrings("capabilities")
                default: try scanner.skipValue()
                }
            }
        }
        self = manifest
    }

    private static func requireArray(_ scanner: inout JSONScanner, _ field: String) throws {
        guard scanner.peekKind() == .array else { throw WireError(field: field, problem: "must be an array") }
    }

    private static func readCooldown(_ scanner: inout JSONScanner, _ field: String) throws -> Cooldown {
        var route: String?, rate: Int64?, per: Double?, scope: String?
        guard scanner.peekKind() == .object else { throw WireError(field: field, problem: "must be an object") }
        try scanner.readObject { scanner, key in
            switch key {
            case "route": route = try scanner.requireString("\(field).route")
            case "rate": rate = try scanner.requireInteger("\(field).rate")
            case "per": per = try scanner.requireDouble("\(field).per")
            case "scope": scope = try scanner.requireString("\(field).scope")
            default: try scanner.skipValue()
            }
        }
        guard let route else { throw WireError(field: "\(field).route", problem: "is missing") }
        guard let rate else { throw WireError(field: "\(field).rate", problem: "is missing") }
        guard let per else { throw WireError(field: "\(field).per", problem: "is missing") }
        guard let scope else { throw WireError(field: "\(field).scope", problem: "is missing") }
        guard let rate = Int(exactly: rate) else { throw WireError(field: "\(field).rate", problem: "is out of range") }
        return Cooldown(route: route, rate: rate, per: per, scope: scope)
    }

    private static func readJob(_ scanner: inout JSONScanner, _ field: String) throws -> Job {
        var job = Job(name: "")
        var named = false
        guard scanner.peekKind() == .object else { throw WireError(field: field, problem: "must be an object") }
        try scanner.readObject { scanner, key in
            switch key {
            case "name":
                job.name = try scanner.requireString("\(field).name")
                named = true
            case "cron": job.cron = try scanner.skipNull() ? nil : try scanner.requireString("\(field).cron")
            case "every_seconds": job.everySeconds = try scanner.skipNull() ? nil : try scanner.requireDouble("\(field).every_seconds")
            case "at": job.at = try scanner.skipNull() ? nil : try scanner.requireString("\(field).at")
            case "time_zone": job.timeZone = try scanner.skipNull() ? nil : try scanner.requireString("\(field).time_zone")
            case "misfire_grace_seconds":
                job.misfireGraceSeconds = try scanner.skipNull() ? nil : try scanner.requireDouble("\(field).misfire_grace_seconds")
            case "coalesce": job.coalesce = try scanner.skipNull() ? nil : try scanner.requireBool("\(field).coalesce")
            default: try scanner.skipValue()
            }
        }
        guard named else { throw WireError(field: "\(field).name", problem: "is missing") }
        return job
    }
}
