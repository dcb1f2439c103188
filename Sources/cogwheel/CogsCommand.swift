import ArgumentParser
import CogHost
import Foundation

/// `cogwheel cogs …`: build and inspect cogs.
struct CogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cogs", abstract: "Build and list cogs.", subcommands: [Build.self, List.self]
    )

    struct Build: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Build one cog, or every bundled cog, and install it for the host.")

        @Argument(help: "The cog to build (a folder in cogs/); all bundled cogs when omitted.")
        var name: String?

        @Flag(help: "Build in debug instead of release.")
        var debug = false

        @Option(help: "The package with the cogs/ folder.")
        var packagePath = "."

        @OptionGroup var host: HostOptions

        func run() async throws {
            let configuration = try host.hostConfiguration()
            let builder = CogBuilder(packageDirectory: URL(fileURLWithPath: packagePath),
                                     installDirectory: configuration.cogsDirectory, release: !debug)
            let cogs = try name.map { [$0] } ?? builder.bundledCogs()
            for cog in cogs { _ = try builder.build(cog) { print($0) } }
            print("built \(cogs.count) cog(s); a running host picks a new build up with /reload NAME")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List installed cogs with their versions and commands.")

        @OptionGroup var host: HostOptions

        func run() async throws {
            let configuration = try host.hostConfiguration()
            let inspection = try CogInspector.inspect(configuration: configuration)
            if inspection.isEmpty { print("no cogs installed in \(configuration.cogsDirectory.path); run `cogwheel cogs build`") }
            for cog in inspection {
                var line = "\(cog.name)"
                if let version = cog.version { line += "  v\(version)  schema \(cog.schemaVersion ?? 0)" }
                line += cog.autoload ? "  autoload" : "  not autoloaded"
                if !cog.commands.isEmpty { line += "  " + cog.commands.map { "/\($0)" }.joined(separator: " ") }
                print(line)
                if let problem = cog.problem { print("    ✗ \(problem)") }
                if let quarantine = cog.quarantine { print("    ⚠ quarantined: \(quarantine)") }
            }
        }
    }
}
