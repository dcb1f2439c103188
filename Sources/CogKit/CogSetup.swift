/// What a new generation of a cog receives when it starts.
///
/// ```swift
/// init(setup: CogSetup) throws {
///     let restored = setup.previousState.flatMap { Int(String(decoding: $0, as: UTF8.self)) }
///     counter = Counter(start: restored ?? 0)
///     setup.logger.info("started with counter \(restored ?? 0)")
/// }
/// ```
public struct CogSetup: Sendable {
    /// The host's logger, attributed to this cog.
    public let logger: CogLogger
    /// What the previous generation's ``Cog/exportState()`` returned, or `nil` on a first load.
    public let previousState: [UInt8]?
    /// The cog's key–value entries and tables in the host's database.
    public let storage: CogStorage

    init(host: HostServices?, previousState: [UInt8]?) {
        self.logger = CogLogger(host: host)
        self.previousState = previousState
        self.storage = CogStorage(host: host)
    }
}
