import Foundation
import PackagePlugin

/// `swift package --allow-writing-to-package-directory build-cog [NAME…] [--install-dir DIR]`
///
/// Builds each named cog (a `.dynamic` library product) in release and installs
/// `lib<name>.so` into DIR (default `data/cogs`), where the host looks for cogs. With no name,
/// builds every cog whose sources live in `cogs/`. Installing replaces the file by rename, so a
/// running host that mapped the previous build is never disturbed; `/reload NAME` picks it up.
@main
struct BuildCog: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let installDirectory = context.package.directoryURL
            .appending(path: extractor.extractOption(named: "install-dir").last ?? "data/cogs")
        var names = extractor.remainingArguments
        if names.isEmpty {
            names = context.package.products.compactMap { product -> String? in
                guard let library = product as? LibraryProduct, library.kind == .dynamic,
                      library.targets.allSatisfy({ $0.directoryURL.path.contains("/cogs/") }) else { return nil }
                return library.name
            }.sorted()
        }
        guard !names.isEmpty else {
            throw BuildCogError("no cogs to build: name one, or put cogs in cogs/ as .dynamic library products")
        }
        try FileManager.default.createDirectory(at: installDirectory, withIntermediateDirectories: true)
        for name in names {
            print("building \(name) (release)…")
            let result = try packageManager.build(.product(name), parameters: .init(configuration: .release, logging: .concise))
            guard result.succeeded else {
                print(result.logText)
                throw BuildCogError("\(name): the build failed; the installed build (if any) is unchanged")
            }
            guard let library = result.builtArtifacts.first(where: { $0.url.lastPathComponent == "lib\(name).so" }) else {
                throw BuildCogError("\(name): the build produced no lib\(name).so; is it a .dynamic library product?")
            }
            let destination = installDirectory.appending(path: "lib\(name).so")
            let temporary = installDirectory.appending(path: ".lib\(name).so.\(UUID().uuidString)")
            try FileManager.default.copyItem(at: library.url, to: temporary)
            guard rename(temporary.path, destination.path) == 0 else {
                throw BuildCogError("\(name): could not install into \(installDirectory.path)")
            }
            print("installed \(destination.path)")
        }
    }
}

struct BuildCogError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
