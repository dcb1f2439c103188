import CogWire
import DiscordModels
import Foundation

/// What a cog declares in its descriptor (a ``ManifestDocument``), with the Discord command
/// definitions decoded for validation and sync.
public struct CogManifest: Sendable, Equatable {
    /// A cooldown on one command route, kept by the host across reloads.
    public typealias CooldownDeclaration = ManifestDocument.Cooldown
    /// A scheduled job, as the cog declares it; checked into a ``JobDefinition`` at load.
    public typealias JobDeclaration = ManifestDocument.Job

    public var commands: [ApplicationCommand]
    public var cooldowns: [CooldownDeclaration]
    public var jobs: [JobDeclaration]
    /// The gateway dispatches the cog listens to, as declared (checked by ``ManifestValidator``).
    public var events: [String]
    /// Intents declared beyond those of the events (`MESSAGE_CONTENT`).
    public var intents: [String]
    /// Whether the cog hears the bot's own messages and reactions.
    public var ownMessages: Bool
    /// The Discord capabilities the cog declares (``CogCapability`` names; checked by ``ManifestValidator``).
    public var capabilities: [String]

    public init(commands: [ApplicationCommand], cooldowns: [CooldownDeclaration] = [], jobs: [JobDeclaration] = [],
                events: [String] = [], intents: [String] = [], ownMessages: Bool = false, capabilities: [String] = []) {
        self.commands = commands
        self.cooldowns = cooldowns
        self.jobs = jobs
        self.events = events
        self.intents = intents
        self.ownMessages = ownMessages
        self.capabilities = capabilities
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

    /// Reads a manifest, reporting its problems as a ``ManifestProblem`` naming the field.
    static func decode(_ bytes: [UInt8]) throws(ManifestProblem) -> CogManifest {
        let document: ManifestDocument
        do {
            document = try ManifestDocument(scanning: bytes)
        } catch {
            throw ManifestProblem(field: error.field, problem: error.problem)
        }
        var commands: [ApplicationCommand] = []
        for (index, command) in document.commands.enumerated() {
            do {
                commands.append(try JSONDecoder().decode(ApplicationCommand.self, from: Data(command)))
            } catch {
                throw ManifestProblem(field: "commands[\(index)]", problem: "is not a valid command definition (\(error))")
            }
        }
        return CogManifest(commands: commands, cooldowns: document.cooldowns, jobs: document.jobs, events: document.events,
                           intents: document.intents, ownMessages: document.ownMessages, capabilities: document.capabilities)
    }
}

extension CogManifest {
    /// The gateway intents the cog needs: those of each event it listens to (every intent
    /// whose events include it, so a message listener hears guilds and DMs) and the declared ones.
    public var gatewayIntents: GatewayIntents {
        var intents: GatewayIntents = []
        for event in events { intents.formUnion(GatewayEventName(event).intents ?? []) }
        for name in self.intents { intents.formUnion(GatewayIntents.names[name.lowercased()] ?? []) }
        return intents
    }
}

/// One rule a manifest breaks, naming the field, e.g. `commands[0].options[2].name`.
public struct ManifestProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let problem: String

    public var description: String { "\(field) \(problem)" }
}
