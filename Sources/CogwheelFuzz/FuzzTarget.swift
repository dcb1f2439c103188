import Foundation

/// The harnesses. Each takes any bytes, must never crash, hang or grow without bound, and
/// checks its own invariant with ``FuzzFailure/check(_:_:)``, which traps so libFuzzer keeps
/// the input.
enum FuzzTarget: String, CaseIterable {
    /// The JSON scanners on the routing path: interaction facts, gateway envelopes, a cog's
    /// response document and the message limits.
    case routing
    /// zlib-stream inflation across messages, then envelope decoding.
    case gateway
    /// A cog's manifest: decoding, Discord's rules, job declarations.
    case manifest
    /// Cron expressions and their next run.
    case cron
    /// The `.env` and JSON settings files.
    case settings
    /// A cog's SQL from a grammar of allowed and forbidden forms: nothing outside the cog's
    /// tables is read or written.
    case sql
    /// Restoring a backup file, plain or sealed.
    case backup

    /// The harness libFuzzer runs: COGWHEEL_FUZZ_TARGET.
    static let selected: FuzzTarget = {
        guard let name = ProcessInfo.processInfo.environment["COGWHEEL_FUZZ_TARGET"], let target = FuzzTarget(rawValue: name) else {
            FuzzFailure.stop("set COGWHEEL_FUZZ_TARGET to one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return target
    }()

    func run(_ bytes: [UInt8]) {
        switch self {
        case .routing: RoutingHarness.run(bytes)
        case .gateway: GatewayHarness.run(bytes)
        case .manifest: ManifestHarness.run(bytes)
        case .cron: CronHarness.run(bytes)
        case .settings: SettingsHarness.run(bytes)
        case .sql: SQLHarness.shared.run(bytes)
        case .backup: BackupHarness.shared.run(bytes)
        }
    }
}

enum FuzzFailure {
    /// Traps with `message` unless `condition` holds: a broken invariant is a finding.
    static func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        if !condition() { stop(message()) }
    }

    static func stop(_ message: String) -> Never {
        FileHandle.standardError.write(Data("cogwheel-fuzz: \(message)\n".utf8))
        abort()
    }
}

/// Reads choices out of the fuzzer's bytes, for the harnesses that build their input from a
/// grammar; past the end every choice is the first.
struct ByteChoices {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isExhausted: Bool { offset >= bytes.count }

    mutating func next() -> UInt8 {
        defer { offset += 1 }
        return offset < bytes.count ? bytes[offset] : 0
    }

    mutating func pick<T>(_ options: [T]) -> T {
        options[Int(next()) % options.count]
    }

    /// The bytes not yet read.
    mutating func rest() -> [UInt8] {
        defer { offset = bytes.count }
        return offset < bytes.count ? Array(bytes[offset...]) : []
    }
}
