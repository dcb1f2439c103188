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

    public var commands: [ApplicationCommand]
    public var cooldowns: [CooldownDeclaration]

    enum CodingKeys: String, CodingKey {
        case commands, cooldowns
    }

    public init(commands: [ApplicationCommand], cooldowns: [CooldownDeclaration] = []) {
        self.commands = commands
        self.cooldowns = cooldowns
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        commands = try container.decodeIfPresent([ApplicationCommand].self, forKey: .commands) ?? []
        cooldowns = try container.decodeIfPresent([CooldownDeclaration].self, forKey: .cooldowns) ?? []
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
