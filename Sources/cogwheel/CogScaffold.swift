import Foundation

/// Writes a new cog as its own Swift package: one command, a test through `CogKitTesting`,
/// a README with the five-minute path, and a `.gitignore`.
struct CogScaffold {
    /// Where the package's `Package.swift` finds Cogwheel.
    enum CogwheelSource {
        /// A local checkout (`.package(path:)`), as on a machine without network access.
        case path(URL)
        /// A Git URL (`.package(url:branch:)`).
        case url(String)

        /// The package identity SwiftPM gives the dependency: the last path component, lowercased.
        var identity: String {
            switch self {
            case .path(let url): url.standardizedFileURL.lastPathComponent.lowercased()
            case .url(let url): (url.split(separator: "/").last.map(String.init) ?? "cogwheel")
                .replacingOccurrences(of: ".git", with: "").lowercased()
            }
        }

        var dependency: String {
            switch self {
            case .path(let url): ".package(path: \"\(url.standardizedFileURL.path)\")"
            case .url(let url): ".package(url: \"\(url)\", branch: \"main\")"
            }
        }
    }

    let name: String
    let source: CogwheelSource

    /// - Throws: ``CogScaffoldError`` when `name` cannot be a cog's (and its command's) name.
    init(name: String, source: CogwheelSource) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_")
        guard (1...32).contains(name.count), name.allSatisfy(allowed.contains), name.first?.isLetter == true else {
            throw CogScaffoldError("'\(name)' cannot be a cog name: use 1–32 characters of a–z, 0–9 and _, starting with a letter")
        }
        self.name = name
        self.source = source
    }

    /// The Swift type of the cog: `daily_quote` → `DailyQuoteCog`.
    var typeName: String {
        name.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined() + "Cog"
    }

    /// Writes the package into `directory`, which must not exist yet or be empty.
    func write(into directory: URL) throws -> [URL] {
        let manager = FileManager.default
        if let existing = try? manager.contentsOfDirectory(atPath: directory.path), !existing.isEmpty {
            throw CogScaffoldError("\(directory.path) already exists and is not empty; pick another --directory")
        }
        let files: [(String, String)] = [
            ("Package.swift", packageManifest),
            ("Sources/\(name)/\(typeName).swift", cogSource),
            ("Tests/\(name)Tests/\(typeName)Tests.swift", testSource),
            ("README.md", readme),
            (".gitignore", ".build/\nPackage.resolved\n"),
        ]
        return try files.map { path, contents in
            let file = directory.appendingPathComponent(path)
            try manager.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: file)
            return file
        }
    }

    private var packageManifest: String {
        """
        // swift-tools-version: 6.1
        import PackageDescription

        let package = Package(
            name: "\(name)",
            platforms: [.macOS(.v15)],
            products: [
                // The host loads lib\(name).so: the product's name is the cog's name.
                .library(name: "\(name)", type: .dynamic, targets: ["\(name)"]),
            ],
            dependencies: [
                \(source.dependency),
            ],
            targets: [
                .target(
                    name: "\(name)",
                    dependencies: [.product(name: "CogKit", package: "\(source.identity)")],
                    // Cog images are never unloaded (Cogwheel's docs: "Rules that keep hot reload safe").
                    linkerSettings: [.unsafeFlags(["-Xlinker", "-z", "-Xlinker", "nodelete"])]
                ),
                .testTarget(
                    name: "\(name)Tests",
                    dependencies: [.product(name: "CogKitTesting", package: "\(source.identity)")]
                ),
            ]
        )

        """
    }

    private var cogSource: String {
        """
        import CogKit

        /// `/\(name)`: greets the player. Replace it with your feature.
        struct \(typeName): Cog {
            static let name = "\(name)"
            static let version = "0.1.0"

            static var commands: [Command<\(typeName)>] {
                [
                    Command("\(name)", "Say hello", options: [.string("who", "Whom to greet", maxLength: 64)]) { _, context in
                        let who = context.option("who", default: context.user.displayName)
                        return .message("👋 Hello, \\(who)!")
                    },
                ]
            }

            init(setup: CogSetup) {}
        }

        @_cdecl("cog_entry")
        public func cogEntry() -> UnsafeRawPointer { exportCog(\(typeName).self) }

        """
    }

    private var testSource: String {
        """
        import CogKitTesting
        import Testing

        /// The cog as players use it: the built lib\(name).so in a real Cogwheel host, no Discord needed.
        @Suite struct \(typeName)Tests {
            @Test func greetsThePlayerOrWhoeverTheyName() async throws {
                let bot = try await CogTestHost.start(cog: "\(name)")
                #expect(try await bot.run("/\(name)").content == "👋 Hello, Bob!")
                #expect(try await bot.run("/\(name) who:world").content == "👋 Hello, world!")
                await bot.stop()
            }
        }

        """
    }

    private var readme: String {
        """
        # \(name)

        A [Cogwheel](https://github.com/cogwheel/cogwheel) cog.

        | command | who | what |
        | --- | --- | --- |
        | `/\(name) [who]` | everyone | greets the player, or whoever they name |

        Storage: none. Jobs: none. Permissions: none. Events: none.

        Capabilities: none. A cog that acts on Discord besides answering (posting, roles,
        moderation, threads, DMs, files) declares what it uses in `static var capabilities`, for
        example `[.messagesSend, .membersRoles]`, and lists them here; the host refuses the rest,
        and an operator can deny any of them (`COGWHEEL_DENY_CAPABILITIES=\(name)=dm`).

        ## Develop

        ```bash
        swift build          # builds lib\(name).so (debug)
        swift test           # runs the tests: the built cog in a real host, no Discord token
        ```

        ## Load it into a bot

        ```bash
        cogwheel cogs build \(name) --package-path .      # release build, installed into the bot's cogs directory
        # then, in Discord (or `cogwheel console`): /load \(name)   and after each change: /reload \(name)
        ```

        Or run the bot with `cogwheel run --watch-package .` to rebuild and reload on every save.

        """
    }
}

/// The scaffold cannot be written; the message says what to change.
struct CogScaffoldError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
