import DiscordModels
import Foundation

/// What a cog declares in its descriptor: Discord command definitions plus the cooldowns the
/// host enforces for it.
public struct CogManifest: Decodable, Sendable, Equatable {
    /// A cooldown on one command route, kept by the host across reloads.
    public struct CooldownDeclaration: Decodable, Sendable, Equatable {
        public var route: String
        public var rate: Int
        public var per: Double
        public var scope: String

        public init(route: String, rate: Int, per: Double, scope: String) {
            self.route = route
            self.rate = rate
            self.per = per
            self.scope = scope
        }
    }

    /// A scheduled job, as the cog declares it; checked into a ``JobDefinition`` at load.
    /// At most one of `cron`, `every_seconds` and `at`; none means the cog schedules it itself.
    public struct JobDeclaration: Decodable, Sendable, Equatable {
        public var name: String
        public var cron: String?
        public var every_seconds: Double?
        /// A local date and time (`2026-12-31T23:59`) in ``time_zone``.
        public var at: String?
        /// An IANA name; UTC by default.
        public var time_zone: String?
        public var misfire_grace_seconds: Double?
        public var coalesce: Bool?

        public init(name: String, cron: String? = nil, every_seconds: Double? = nil, at: String? = nil,
                    time_zone: String? = nil, misfire_grace_seconds: Double? = nil, coalesce: Bool? = nil) {
            self.name = name
            self.cron = cron
            self.every_seconds = every_seconds
            self.at = at
            self.time_zone = time_zone
            self.misfire_grace_seconds = misfire_grace_seconds
            self.coalesce = coalesce
        }
    }

    public var commands: [ApplicationCommand]
    public var cooldowns: [CooldownDeclaration]
    public var jobs: [JobDeclaration]

    enum CodingKeys: String, CodingKey {
        case commands, cooldowns, jobs
    }

    public init(commands: [ApplicationCommand], cooldowns: [CooldownDeclaration] = [], jobs: [JobDeclaration] = []) {
        self.commands = commands
        self.cooldowns = cooldowns
        self.jobs = jobs
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        commands = try container.decodeIfPresent([ApplicationCommand].self, forKey: .commands) ?? []
        cooldowns = try container.decodeIfPresent([CooldownDeclaration].self, forKey: .cooldowns) ?? []
        jobs = try container.decodeIfPresent([JobDeclaration].self, forKey: .jobs) ?? []
    }

    /// The declared jobs, checked (see ``JobDefinition``).
    public func jobDefinitions(now: Date = Date()) throws(ManifestProblem) -> [JobDefinition] {
        var names: Set<String> = []
        var definitions: [JobDefinition] = []
        for (index, declaration) in jobs.enumerated() {
            guard names.insert(declaration.name).inserted else {
                throw ManifestProblem(field: "jobs[\(index)].name", problem: "'\(declaration.name)' is declared twice")
            }
            definitions.append(try JobDefinition(declaration, field: "jobs[\(index)]", now: now))
        }
        return definitions
    }

    /// Decodes a manifest, reporting JSON problems as a ``ManifestProblem``.
    static func decode(_ bytes: [UInt8]) throws(ManifestProblem) -> CogManifest {
        do {
            return try JSONDecoder().decode(CogManifest.self, from: Data(bytes))
        } catch {
            throw ManifestProblem(field: "manifest", problem: "is not valid JSON for a manifest (\(error))")
        }
    }
}

/// One rule a manifest breaks, naming the field, e.g. `commands[0].options[2].name`.
public struct ManifestProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let problem: String

    public var description: String { "\(field) \(problem)" }
}
