import DiscordGateway
import DiscordModels
import DiscordSimulator
import Foundation
import Logging
import Synchronization

/// The chaos soak: players send commands at a steady rate to a `cogwheel run` process while
/// the simulated Discord misbehaves in every way its docs allow — dropped connections, op 7,
/// op 9 (both values, the socket left open or closed), lost heartbeat ACKs, 429 storms, slow
/// REST and 502s — and the process is restarted with SIGTERM, the operations server on.
/// Every command must be answered exactly once.
///
/// ```swift
/// let report = try await ChaosSoak(settings: .init(executable: cogwheel, cogsDirectory: cogs, duration: .seconds(20))).run()
/// print(report.summary)
/// #expect(report.lost == 0 && report.answeredTwice == 0)
/// ```
///
/// The test suite runs it for seconds; `scripts/bench.sh --only chaos` for ten minutes.
public struct ChaosSoak: Sendable {
    public struct Settings: Sendable {
        /// The `cogwheel` executable to run.
        public var executable: URL
        /// Holds `libping.so`, the cog the players use.
        public var cogsDirectory: URL
        public var duration: Duration
        public var commandsPerSecond: Double = 20
        /// A fault fires about this often, chosen at random from ``ChaosFault/all``.
        public var faultEvery: Duration = .milliseconds(1500)
        /// SIGTERM restarts, spread evenly over the run (at least one).
        public var restarts = 1
        /// How long each command may take to be answered before it counts as lost.
        public var answerTimeout: Duration = .seconds(60)
        /// Cogs to autoload from ``cogsDirectory`` (`ping` at least).
        public var cogs = ["ping"]
        /// One command in ten is this slow one, when set (e.g. `/slow ms:3000`, answered after
        /// the host's automatic deferral).
        public var slowCommand: String?
        public var seed: UInt64 = 0x5eed

        public init(executable: URL, cogsDirectory: URL, duration: Duration) {
            self.executable = executable
            self.cogsDirectory = cogsDirectory
            self.duration = duration
        }
    }

    public let settings: Settings
    private let log: @Sendable (String) -> Void

    public init(settings: Settings, log: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.settings = settings
        self.log = log
    }

    static let token = "chaos.soak.token-5ca1ab1e"

    /// Runs the soak and reports what the players saw.
    public func run() async throws -> ChaosReport {
        var configuration = SimulatorConfiguration(token: Self.token)
        // A short heartbeat makes lost ACKs (zombies) noticed within seconds.
        configuration.heartbeatInterval = 1000
        let quiet = Logger(label: "chaos") { _ in SwiftLogNoOpLogHandler() }
        return try await DiscordSimulator.withRunning(configuration, logger: quiet) { discord in
            try await soak(discord)
        }
    }

    private func soak(_ discord: DiscordSimulator) async throws -> ChaosReport {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cogwheel-chaos-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = [
            "DISCORD_TOKEN": Self.token, "DISCORD_API_BASE": discord.apiBase, "COGWHEEL_DATA_DIR": directory.path,
            "COGWHEEL_COGS_DIR": settings.cogsDirectory.path, "COGWHEEL_AUTOLOAD": settings.cogs.joined(separator: ","),
            // The operations server on, on a port of its own so soaks and tests can run side by side.
            "COGWHEEL_OPS_ADDRESS": "127.0.0.1:0", "COGWHEEL_LOG_LEVEL": "warning",
        ]
        let first = try BotProcess(executable: settings.executable, environment: environment,
                                        output: directory.appendingPathComponent("bot-0.log"))
        try await first.waitUntilServing(discord, command: "/ping", as: .init(id: 800_000_000_000_100_999, username: "warmup"))
        let bot = ChaosBotSlot(first)

        let players = ChaosPlayers(discord: discord, answerTimeout: settings.answerTimeout)
        var random = GatewayRandom(seed: settings.seed)
        var report = ChaosReport()
        let clock = ContinuousClock()
        let started = clock.now
        let restartTimes = (1...max(1, settings.restarts)).map { started + settings.duration * (Double($0) / Double(settings.restarts + 1)) }
        var nextRestart = 0
        var nextFault = started + settings.faultEvery
        let interval = Duration.seconds(1 / settings.commandsPerSecond)
        var nextCommand = started

        try await withThrowingDiscardingTaskGroup { commands in
            while clock.now - started < settings.duration {
                if nextRestart < restartTimes.count, clock.now >= restartTimes[nextRestart] {
                    nextRestart += 1
                    // Beside the players: commands keep coming while the bot drains and restarts.
                    commands.addTask { [settings, log, nextRestart] in
                        let status = try await bot.restart(
                            with: BotProcess(executable: settings.executable, environment: environment,
                                                  output: directory.appendingPathComponent("bot-\(nextRestart).log")))
                        log("  restart \(nextRestart): SIGTERM → exit \(status.map(String.init) ?? "none within 15 s")")
                    }
                }
                if clock.now >= nextFault {
                    let fault = ChaosFault.all[Int(random.next() % UInt64(ChaosFault.all.count))]
                    fault.inject(into: discord)
                    report.faults[fault.name, default: 0] += 1
                    nextFault = clock.now + settings.faultEvery * (0.5 + Double(random.next() % 1000) / 1000)
                }
                if clock.now >= nextCommand {
                    let player = Int(random.next() % 8)
                    let line = settings.slowCommand.flatMap { random.next() % 10 == 0 ? $0 : nil } ?? "/ping"
                    commands.addTask { try await players.play(line, as: player) }
                    nextCommand += interval
                }
                try await clock.sleep(until: min(nextCommand, nextFault), tolerance: .milliseconds(1))
            }
        }
        report.commands = players.results()
        report.duplicateCallbacks = discord.statistics.duplicateCallbacks
        report.resumes = discord.statistics.resumes
        report.identifies = discord.statistics.identifies
        report.restarts = try await bot.stop()
        report.outputs = BotProcess.outputs(in: directory)
        return report
    }
}

/// The soak's current bot process, replaced at each restart.
final class ChaosBotSlot: Sendable {
    private let state: Mutex<(process: BotProcess, statuses: [Int32?])>

    init(_ process: BotProcess) {
        state = Mutex((process, []))
    }

    /// SIGTERMs the current process, waits for its exit, and puts `next` in its place.
    /// Returns the exit status (`nil`: it had to be killed).
    func restart(with next: @autoclosure () throws -> BotProcess) async throws -> Int32? {
        let current = state.withLock { $0.process }
        let status = try await current.terminate(within: .seconds(15))
        let replacement = try next()
        state.withLock {
            $0.process = replacement
            $0.statuses.append(status)
        }
        return status
    }

    /// Stops the last process; returns every exit status, restarts first.
    func stop() async throws -> [Int32?] {
        let current = state.withLock { $0.process }
        let status = try await current.terminate(within: .seconds(15))
        return state.withLock { $0.statuses + [status] }
    }
}
