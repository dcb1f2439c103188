import Foundation
import PackagePlugin

/// `swift package --allow-writing-to-package-directory new-cog NAME [--directory DIR]`
///
/// Creates a cog as its own Swift package (one command, a test through `CogKitTesting`, a
/// README) that depends on this Cogwheel checkout. DIR defaults to `NAME` inside this package;
/// to create it elsewhere, also pass `--allow-writing-to-directory` with that place.
/// The work is `cogwheel cogs new`, so the plugin and the CLI make the same package.
@main
struct NewCog: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let directory = extractor.extractOption(named: "directory").last
        let names = extractor.remainingArguments
        guard names.count == 1, let name = names.first else {
            throw NewCogError("name exactly one cog: swift package new-cog NAME [--directory DIR]")
        }
        let target = directory.map { URL(fileURLWithPath: $0, relativeTo: context.package.directoryURL) }
            ?? context.package.directoryURL.appending(path: name)
        let cogwheel = try context.tool(named: "cogwheel")
        let process = Process()
        process.executableURL = cogwheel.url
        process.arguments = ["cogs", "new", name, "--directory", target.path, "--cogwheel", context.package.directoryURL.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NewCogError("`cogwheel cogs new` failed with status \(process.terminationStatus)")
        }
    }
}

struct NewCogError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
