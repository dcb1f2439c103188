import ArgumentParser
import CogHost
import Foundation

/// `cogwheel cogs …`: build and inspect cogs.
struct CogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cogs", abstract: "Create, build and list cogs.", subcommands: [New.self, Build.self, List.self]
    )

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a cog as its own Swift package: one command, a test, a README.",
            discussion: "Then: cd NAME && swift test, and `cogwheel cogs build NAME --package-path NAME` to install it."
        )

        @Argument(help: "The cog's name (a–z, 0–9, _), also its first command.")
        var name: String

        @Option(help: "Where to create the package (default: ./NAME).")
        var directory: String?

        @Option(help: "The Cogwheel package the cog depends on: a local path or a Git URL (default: this checkout).")
        var cogwheel: String?

        func run() throws {
            let source: CogScaffold.CogwheelSource
            if let cogwheel {
                source = cogwheel.contains("://") ? .url(cogwheel) : .path(URL(fileURLWithPath: cogwheel))
            } else if let checkout = Self.checkoutOfThisBinary() {
                source = .path(checkout)
            } else {
                throw ValidationError("cannot tell where Cogwheel is; pass --cogwheel PATH or --cogwheel URL")
            }
            let scaffold = try CogScaffold(name: name, source: source)
            let target = URL(fileURLWithPath: directory ?? name)
            for file in try scaffold.write(into: target) { print("created \(file.path)") }
            print("")
            print("next:")
            print("  cd \(target.path) && swift test    # the cog in a real host, no token needed")
            print("  cogwheel cogs build \(name) --package-path \(target.path)    # install it for the bot, then /load \(name)")
        }

        /// The package this `cogwheel` was built from: `<checkout>/.build/<triple>/<config>/cogwheel`.
        static func checkoutOfThisBinary() -> URL? {
            var directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            while directory.path != "/" {
                if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Sources/CogKit").path),
                   FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                    return directory
                }
                directory.deleteLastPathComponent()
            }
            return nil
        }
    }

    struct Build: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Build one cog, or every bundled cog, and install it for the host.")

        @Argument(help: "The cog to build (a folder in cogs/, or the product of the package at --package-path); all bundled cogs when omitted.")
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
                if !cog.events.isEmpty {
                    print("    hears \(cog.events.joined(separator: ", ")) → intents \(cog.intents.joined(separator: ", "))")
                }
                if !cog.capabilities.isEmpty {
                    let denied = cog.deniedCapabilities.isEmpty ? "" : "  (denied by COGWHEEL_DENY_CAPABILITIES: \(cog.deniedCapabilities.joined(separator: ", ")))"
                    print("    may \(cog.capabilities.joined(separator: ", "))\(denied)")
                }
                if let problem = cog.problem { print("    ✗ \(problem)") }
                if let quarantine = cog.quarantine { print("    ⚠ quarantined: \(quarantine)") }
            }
        }
    }
}
