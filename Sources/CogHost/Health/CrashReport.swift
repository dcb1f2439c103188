import CHostSupport

/// What the flight recorder says about how the previous run ended.
public struct CrashReport: Sendable, Equatable {
    /// A cog and the route it was last running when the process died.
    public struct Suspect: Sendable, Equatable {
        public let cog: String
        public let route: String
        public let inFlight: Int

        public init(cog: String, route: String, inFlight: Int) {
            (self.cog, self.route, self.inFlight) = (cog, route, inFlight)
        }
    }

    /// The process id of the previous run.
    public let pid: Int32
    /// The fatal signal, or 0 when the process was killed without one (e.g. SIGKILL).
    public let signal: Int32
    /// Cogs with calls in flight at the end.
    public let suspects: [Suspect]

    public init(pid: Int32, signal: Int32, suspects: [Suspect]) {
        self.pid = pid
        self.signal = signal
        self.suspects = suspects
    }

    /// Reads the previous run's record; `nil` when it ended cleanly or there was none.
    static func fromPreviousRun(_ record: fr_record) -> CrashReport? {
        guard record.clean_shutdown == 0 else { return nil }
        var suspects: [Suspect] = []
        withUnsafeBytes(of: record.slots) { raw in
            for slot in raw.bindMemory(to: fr_slot.self) where slot.in_flight > 0 {
                suspects.append(Suspect(cog: fixedString(slot.cog), route: fixedString(slot.last_route),
                                        inFlight: Int(slot.in_flight)))
            }
        }
        return CrashReport(pid: record.pid, signal: record.fatal_signal, suspects: suspects)
    }

    /// Cogs to quarantine: the cogs in flight when the process died from a fatal signal.
    /// A kill without a signal of its own (SIGKILL, power loss) blames no cog.
    public var cogsToQuarantine: [String] {
        signal == 0 ? [] : suspects.map(\.cog)
    }

    public var summary: String {
        let cause = signal == 0 ? "was killed or lost power" : "died from signal \(signal)"
        guard !suspects.isEmpty else { return "the previous run (pid \(pid)) \(cause) with no cog call in flight" }
        let list = suspects.map { "\($0.cog) (/\($0.route))" }.joined(separator: ", ")
        return "the previous run (pid \(pid)) \(cause) while running \(list)"
    }
}

private func fixedString<T>(_ tuple: T) -> String {
    withUnsafeBytes(of: tuple) { raw in
        let bytes = raw.prefix { $0 != 0 }
        return String(decoding: bytes, as: UTF8.self)
    }
}
