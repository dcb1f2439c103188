// swift-tools-version: 6.1
import PackageDescription

/// Cogs are never unloaded (see DESIGN.md, "Loading cogs"): mark every cog image `nodelete`
/// at link time as well as at `dlopen` time.
let cogLinkerSettings: [LinkerSetting] = [.unsafeFlags(["-Xlinker", "-z", "-Xlinker", "nodelete"])]

/// A cog written in Swift: one `.dynamic` library product whose target links CogKit statically.
func swiftCog(_ name: String, path: String, extraDependencies: [Target.Dependency] = []) -> [Any] {
    [
        Product.library(name: name, type: .dynamic, targets: [name]),
        Target.target(
            name: name,
            dependencies: ["CogKit"] + extraDependencies,
            path: path,
            linkerSettings: cogLinkerSettings
        ),
    ]
}

/// A cog written in plain C against `cog_abi.h` only.
func cCog(_ name: String, path: String) -> [Any] {
    [
        Product.library(name: name, type: .dynamic, targets: [name]),
        Target.target(
            name: name,
            dependencies: ["CCogABI"],
            path: path,
            publicHeadersPath: ".",
            cSettings: [.headerSearchPath("..")],
            linkerSettings: cogLinkerSettings
        ),
    ]
}

/// Bundled cogs: `cogs/NAME` builds the product `NAME`.
let bundledCogs: [[Any]] = [
    swiftCog("dice", path: "cogs/dice"),
    swiftCog("xp", path: "cogs/xp/Cog", extraDependencies: ["XPCogCore"]),
    swiftCog("polls", path: "cogs/polls"),
    swiftCog("gazette", path: "cogs/gazette"),
    swiftCog("welcome", path: "cogs/welcome"),
    swiftCog("reactionroles", path: "cogs/reactionroles"),
    swiftCog("moderation", path: "cogs/moderation"),
    cCog("ping", path: "cogs/ping"),
]

/// Cogs built only for the host's tests: several builds of one cog ("probe") and deliberately
/// broken cogs. Each variant is a few lines configuring the shared `ProbeCogCore`.
let testCogs: [[Any]] = [
    swiftCog("testcog_probe_v1", path: "Tests/Cogs/probe_v1", extraDependencies: ["ProbeCogCore"]),
    swiftCog("testcog_probe_v2", path: "Tests/Cogs/probe_v2", extraDependencies: ["ProbeCogCore"]),
    swiftCog("testcog_probe_schema2", path: "Tests/Cogs/probe_schema2", extraDependencies: ["ProbeCogCore"]),
    swiftCog("testcog_probe_badinit", path: "Tests/Cogs/probe_badinit", extraDependencies: ["ProbeCogCore"]),
    swiftCog("testcog_xp_v1", path: "Tests/Cogs/xp_v1", extraDependencies: ["XPCogCore"]),
    swiftCog("testcog_xp_badmigration", path: "Tests/Cogs/xp_badmigration", extraDependencies: ["XPCogCore"]),
    cCog("testcog_abi_mismatch", path: "Tests/Cogs/abi_mismatch"),
    cCog("testcog_compiler_mismatch", path: "Tests/Cogs/compiler_mismatch"),
    cCog("testcog_bad_manifest", path: "Tests/Cogs/bad_manifest"),
]

/// Cogs built only for the benchmarks (`cogwheel-bench`).
let benchmarkCogs: [[Any]] = [
    swiftCog("benchcog_listener", path: "bench/cogs/listener"),
]
let cogProducts = (bundledCogs + testCogs + benchmarkCogs).flatMap { $0 }.compactMap { $0 as? Product }
let cogTargets = (bundledCogs + testCogs + benchmarkCogs).flatMap { $0 }.compactMap { $0 as? Target }

let package = Package(
    name: "Cogwheel",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cogwheel", targets: ["cogwheel"]),
        .executable(name: "cogwheel-bench", targets: ["CogwheelBenchmarks"]),
        .executable(name: "cogwheel-fuzz", targets: ["CogwheelFuzz"]),
        .library(name: "CogKit", targets: ["CogKit"]),
        .library(name: "CogKitTesting", targets: ["CogKitTesting"]),
        .library(name: "CogHost", targets: ["CogHost"]),
        .plugin(name: "build-cog", targets: ["BuildCog"]),
        .plugin(name: "new-cog", targets: ["NewCog"]),
    ] + cogProducts,
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
    ],
    targets: [
        // The contract between host and cogs: plain C, versioned.
        .target(name: "CCogABI"),

        // The host–cog vocabulary: every document that crosses the C boundary, with its one
        // writer and one scanner. No dependencies, linked statically by CogKit and the host.
        .target(name: "CogWire"),

        // The Swift SDK every Swift cog links statically. C ABI, CogWire and Foundation only.
        .target(name: "CogKit", dependencies: ["CCogABI", "CogWire"]),

        // A cog's own tests: the real host in a temporary directory serving the built cog.
        .target(
            name: "CogKitTesting",
            dependencies: ["CogHost", "CogWire", "DiscordModels", "DiscordREST", "Storage", .product(name: "Logging", package: "swift-log")]
        ),

        // Process-level helpers the host needs from C: the crash flight recorder.
        .target(name: "CHostSupport"),

        // Loader, generations, router, cooldowns, admin commands.
        .target(
            name: "CogHost",
            dependencies: [
                "CCogABI",
                "CHostSupport",
                "CogWire",
                "DiscordCache",
                "DiscordModels",
                "DiscordREST",
                "Storage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // What the host knows of Discord: guilds, channels, roles, members, messages, kept from
        // the gateway's events, and Discord's permission computation over them.
        .target(name: "DiscordCache", dependencies: ["DiscordModels", "CogWire"]),

        // Discord's wire formats, decoded tolerantly.
        .target(name: "DiscordModels", dependencies: ["CogWire"]),

        // zlib from the system (zlib1g-dev): the gateway's zlib-stream transport compression.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),

        // SQLite from the system (libsqlite3-dev).
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),

        // The host's SQLite database: connection settings, schema migrations, checks.
        .target(name: "Storage", dependencies: ["CSQLite", "CZlib", .product(name: "Crypto", package: "swift-crypto")]),

        // The gateway: WebSocket sessions, heartbeats, identify/resume, sharding, compression.
        .target(
            name: "DiscordGateway",
            dependencies: [
                "DiscordModels", "CogWire", "CZlib",
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),

        // The REST client with Discord's rate limits.
        .target(
            name: "DiscordREST",
            dependencies: [
                "DiscordModels",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),

        // The running bot: gateway events into the cog host's router, answers out through REST,
        // command sync.
        .target(
            name: "BotRuntime",
            dependencies: [
                "CogHost", "DiscordGateway", "DiscordREST", "DiscordModels", "Storage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // The operations surface: health and readiness over HTTP, Prometheus metrics, the
        // heartbeat file and systemd notifications.
        .target(
            name: "Operations",
            dependencies: [
                "CogHost", "Storage",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // The whole bot as one service group: settings in, every long-running part composed
        // with its dependencies, started in order and stopped in reverse on SIGTERM.
        .target(
            name: "BotApplication",
            dependencies: [
                "BotRuntime", "CogHost", "DiscordModels", "DiscordREST", "Operations",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // A local Discord on loopback (gateway + REST) for tests, benchmarks and the demo.
        .target(
            name: "DiscordSimulator",
            dependencies: [
                "DiscordModels", "CZlib",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The `.env` and JSON settings files, parsed: Foundation only, so the fuzzers link it alone.
        .target(name: "SettingsFiles"),

        .executableTarget(
            name: "cogwheel",
            dependencies: [
                "BotApplication", "CogHost", "BotRuntime", "DiscordSimulator", "CHostSupport", "Storage", "SettingsFiles",
                "DiscordModels", "Operations",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // The chaos soak: players against a `cogwheel run` process while the simulator injects
        // faults and the process is restarted; shared by the test suite and the benchmarks.
        .target(
            name: "ChaosSoak",
            dependencies: ["DiscordGateway", "DiscordModels", "DiscordSimulator", .product(name: "Logging", package: "swift-log")]
        ),

        .executableTarget(
            name: "CogwheelBenchmarks",
            dependencies: [
                "CogHost", "CHostSupport", "CCogABI", "Storage", "DiscordModels", "BotRuntime", "DiscordSimulator",
                "DiscordGateway", "DiscordREST", "DiscordCache", "CogWire", "Operations", "ChaosSoak",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The fuzz harnesses (see FUZZING.md): replays inputs in an ordinary build; libFuzzer
        // drives them in the build scripts/fuzz.sh makes.
        .executableTarget(
            name: "CogwheelFuzz",
            dependencies: [
                "CogHost", "CogWire", "CZlib", "DiscordGateway", "DiscordModels", "SettingsFiles", "Storage",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // `swift package build-cog NAME`: build a cog in release and install it for the host.
        .plugin(
            name: "BuildCog",
            capability: .command(
                intent: .custom(verb: "build-cog", description: "Build cogs in release and install them where the host looks"),
                permissions: [.writeToPackageDirectory(reason: "installs lib<name>.so into the cogs directory (data/cogs)")]
            ),
            path: "Plugins/BuildCog"
        ),

        // `swift package new-cog NAME`: a new cog as its own package (runs `cogwheel cogs new`).
        .plugin(
            name: "NewCog",
            capability: .command(
                intent: .custom(verb: "new-cog", description: "Create a cog package with one command, a test and a README"),
                permissions: [.writeToPackageDirectory(reason: "writes the new cog's package (default: NAME in this package)")]
            ),
            dependencies: ["cogwheel"],
            path: "Plugins/NewCog"
        ),

        // The xp cog's commands and schema, shared by its shipping build and the test editions.
        .target(name: "XPCogCore", dependencies: ["CogKit"], path: "cogs/xp/Core"),

        // Shared implementation of the test-only "probe" cog variants.
        .target(name: "ProbeCogCore", dependencies: ["CogKit"], path: "Tests/Cogs/ProbeCogCore"),

        // Helpers shared by the test targets: built cogs and their installation.
        .target(
            name: "CogwheelTestSupport", dependencies: ["CogHost", .product(name: "Logging", package: "swift-log")],
            path: "Tests/Support"
        ),

        .testTarget(name: "CogKitTests", dependencies: ["CogKit", "CogWire"]),
        .testTarget(name: "CogWireTests", dependencies: ["CogWire"]),
        .testTarget(name: "DiscordCacheTests", dependencies: ["DiscordCache"]),
        .testTarget(
            name: "CogHostTests",
            dependencies: ["CogHost", "CogWire", "DiscordCache", "DiscordREST", "CogwheelTestSupport", "DiscordModels", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "DiscordModelsTests", dependencies: ["DiscordModels", "CogWire"]),
        .testTarget(
            name: "StorageTests",
            dependencies: ["Storage", "CogwheelTestSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),

        // A process the storage tests kill with SIGKILL in the middle of heavy writes.
        .executableTarget(name: "StorageCrashWriter", dependencies: ["Storage"], path: "Tests/Helpers/StorageCrashWriter"),
        .testTarget(name: "DiceTests", dependencies: ["dice"]),
        .testTarget(name: "BundledCogTests", dependencies: ["CogKitTesting"]),
        // A bot connected to the simulator for one test, shared by the test targets below.
        .target(
            name: "BotTestSupport",
            dependencies: [
                "BotRuntime", "CogHost", "CogwheelTestSupport", "DiscordGateway", "DiscordModels", "DiscordREST", "DiscordSimulator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/BotSupport"
        ),
        .testTarget(
            name: "DiscordGatewayTests",
            dependencies: ["DiscordGateway", "DiscordModels", "DiscordSimulator", "BotTestSupport", "CogwheelTestSupport"]
        ),
        .testTarget(name: "DiscordRESTTests", dependencies: ["DiscordREST", "DiscordModels", "DiscordSimulator", "BotTestSupport"]),
        .testTarget(
            name: "BotRuntimeTests",
            dependencies: ["BotRuntime", "CogHost", "DiscordGateway", "DiscordModels", "DiscordREST", "DiscordSimulator",
                           "BotTestSupport", "CogwheelTestSupport"]
        ),
        // Keeps the simulator honest: an unmodified discord.py bot, and Discord's OpenAPI spec.
        .testTarget(
            name: "DiscordSimulatorTests",
            dependencies: ["BotRuntime", "DiscordModels", "DiscordREST", "DiscordSimulator", "BotTestSupport", "CogwheelTestSupport"]
        ),
        .testTarget(
            name: "OperationsTests",
            dependencies: [
                "Operations", "BotRuntime", "CogHost", "DiscordSimulator", "BotTestSupport", "CogwheelTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // `cogwheel run` as a process: signals, crashes, restarts, the chaos soak.
        .testTarget(
            name: "BotApplicationTests",
            dependencies: [
                "BotApplication", "Operations", "DiscordModels", "DiscordSimulator", "BotTestSupport", "CogwheelTestSupport", "ChaosSoak",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
    ] + cogTargets,
    swiftLanguageModes: [.v6]
)
