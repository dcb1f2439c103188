import CogWire
import Foundation

/// Describes installed cogs without starting them: what `cogwheel cogs list` prints.
public enum CogInspector {
    /// One installed cog as read from its library and the host state.
    public struct InstalledCog: Sendable {
        public let name: String
        public let version: String?
        public let schemaVersion: UInt32?
        public let commands: [String]
        /// The gateway events it listens to, and the intents they need.
        public let events: [String]
        public let intents: [String]
        /// The Discord capabilities it declares, and those the operator denies it.
        public let capabilities: [String]
        public let deniedCapabilities: [String]
        public let autoload: Bool
        /// Why the library would be refused, if it would.
        public let problem: String?
        public let quarantine: String?
    }

    /// Maps and handshakes every installed cog (without initialising it).
    public static func inspect(configuration: HostConfiguration) throws -> [InstalledCog] {
        let state = try HostStateStore(file: configuration.dataDirectory.appendingPathComponent("host-state.json")).read()
        let installed = CogDiscovery.cogNames(in: configuration.cogsDirectory)
        let autoload = state.autoload ?? configuration.autoload ?? installed
        let loader = CogLoader(imagesDirectory: configuration.dataDirectory.appendingPathComponent("images"))
        return installed.map { name in
            do {
                let image = try loader.prepare(cog: name, libraryAt: configuration.libraryPath(forCog: name))
                return InstalledCog(name: name, version: image.version, schemaVersion: image.schemaVersion,
                                    commands: image.manifest.commands.map(\.name), events: image.manifest.events,
                                    intents: image.manifest.gatewayIntents.documentedNames,
                                    capabilities: image.manifest.capabilities.sorted(),
                                    deniedCapabilities: image.manifest.capabilities.filter {
                                        CogCapability(rawValue: $0).map { configuration.capabilityDenials.denies($0, to: name) } ?? false
                                    }.sorted(),
                                    autoload: autoload.contains(name),
                                    problem: nil, quarantine: state.quarantined[name])
            } catch {
                return InstalledCog(name: name, version: nil, schemaVersion: nil, commands: [], events: [], intents: [],
                                    capabilities: [], deniedCapabilities: [],
                                    autoload: autoload.contains(name),
                                    problem: "\(error)", quarantine: state.quarantined[name])
            }
        }
    }
}
