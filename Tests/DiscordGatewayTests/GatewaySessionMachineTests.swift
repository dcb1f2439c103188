import DiscordModels
import Foundation
import Testing

@testable import DiscordGateway

/// Feeds a session machine the way the shard's I/O loop does, at instants measured from one
/// origin, so each test reads as a script of what the gateway did and what the shard answered.
struct SessionDriver {
    typealias Event = GatewaySessionMachine.Event
    typealias Action = GatewaySessionMachine.Action

    static let gatewayURL = "wss://gateway.example"
    static let resumeURL = "wss://resume.example"
    static let interval = 41_250

    var machine: GatewaySessionMachine
    let origin = ContinuousClock.now
    private(set) var elapsed: Duration = .zero

    init(session: ResumableSession? = nil, seed: UInt64 = 7, rules: GatewaySessionMachine.Rules = .init()) {
        machine = GatewaySessionMachine(shardID: 0, gatewayURL: Self.gatewayURL, session: session, rules: rules,
                                        random: GatewayRandom(seed: seed))
    }

    static func savedSession(sequence: Int64 = 40, resumeURL: String = resumeURL) -> ResumableSession {
        ResumableSession(shardID: 0, sessionID: "saved", sequence: sequence, resumeURL: resumeURL)
    }

    var now: ContinuousClock.Instant { origin + elapsed }

    @discardableResult
    mutating func feed(_ event: Event, after delay: Duration = .zero) -> [Action] {
        elapsed += delay
        return machine.handle(event, at: now)
    }

    /// `.connected` and HELLO on a socket the machine asked for; returns HELLO's actions.
    @discardableResult
    mutating func openSocket(interval: Int = interval) -> [Action] {
        #expect(feed(.connected) == [])
        return feed(.hello(heartbeatIntervalMilliseconds: interval))
    }

    /// A fresh shard that identified and got READY (sequence 1, session "s1").
    static func ready(seed: UInt64 = 7) -> SessionDriver {
        var driver = SessionDriver(seed: seed)
        #expect(driver.feed(.start) == [.connect(url: gatewayURL)])
        #expect(driver.openSocket().last == .sendIdentify)
        let ready = GatewaySessionMachine.ReadyFacts(sessionID: "s1", resumeURL: resumeURL)
        #expect(driver.feed(.dispatch(.ready, sequence: 1, ready: ready)) == [.deliver])
        return driver
    }

    /// Feeds the socket's end and returns the delay of the one reconnect the machine must ask
    /// for; any other answer fails the test.
    mutating func reconnectDelay(after end: Event) throws -> Duration {
        let actions = feed(end)
        guard actions.count == 1, case .reconnect(let delay) = actions[0] else {
            throw NotOneReconnect(actions: actions)
        }
        return delay
    }

    struct NotOneReconnect: Error, CustomStringConvertible {
        let actions: [Action]
        var description: String { "expected exactly one reconnect, got \(actions)" }
    }
}

/// The first heartbeat delay HELLO's actions ask for.
private func firstBeat(_ actions: [GatewaySessionMachine.Action]) -> Duration? {
    guard case .scheduleHeartbeat(let delay)? = actions.first else { return nil }
    return delay
}

/// The ways a socket can end once the machine has decided how its connection ends: its own close
/// echoed, the gateway closing first (with codes that would otherwise mean something else), or
/// the transport dropping.
private let socketEnds: [GatewaySessionMachine.Event] = [
    .closed(code: 4000), .closed(code: 1000), .closed(code: 4009), .closed(code: nil),
    .transportFailed(reason: "reset"),
]

@Suite("The gateway session machine")
struct GatewaySessionMachineTests {
    // MARK: HELLO

    @Test("the first heartbeat waits interval × jitter, within the configured range",
          arguments: [0, 1, 2, 42, 0xDEAD_BEEF, UInt64.max])
    func firstBeatJitter(seed: UInt64) throws {
        var driver = SessionDriver(seed: seed)
        driver.feed(.start)
        let delay = try #require(firstBeat(driver.openSocket()))
        let interval = Duration.milliseconds(SessionDriver.interval)
        #expect(delay >= interval * 0.05 && delay <= interval)
    }

    @Test("the jitter differs between seeds and repeats for the same seed")
    func jitterIsSeeded() {
        func delay(seed: UInt64) -> Duration? {
            var driver = SessionDriver(seed: seed)
            driver.feed(.start)
            return firstBeat(driver.openSocket())
        }
        let delays = (0..<16).map { delay(seed: $0) }
        #expect(Set(delays).count > 1)
        #expect(delay(seed: 3) == delay(seed: 3))
    }

    @Test("a heartbeat interval outside 100 ms–10 min is refused with a resumable close, then a back-off",
          arguments: [0, -5, 99, 600_001, 86_400_000])
    func refusesHeartbeatInterval(milliseconds: Int) throws {
        var driver = SessionDriver()
        driver.feed(.start)
        #expect(driver.openSocket(interval: milliseconds)
            == [.close(code: 4000, cause: .invalidHeartbeatInterval(milliseconds))])
        #expect(driver.machine.status.identifies == 0)
        #expect(driver.feed(.heartbeatDue) == [])
        let delay = try driver.reconnectDelay(after: .closed(code: 4000))
        #expect(delay >= .milliseconds(500) && delay <= .seconds(1))
        #expect(driver.feed(.reconnectDue) == [.connect(url: SessionDriver.gatewayURL)])

        let cause = GatewaySessionMachine.CloseCause.invalidHeartbeatInterval(milliseconds)
        #expect(cause.description == GatewayError.invalidHeartbeatInterval(milliseconds).description)
        #expect(cause.description.contains("every \(milliseconds) ms"))
    }

    @Test("the bounds themselves are accepted", arguments: [100, 600_000])
    func acceptsBoundaryInterval(milliseconds: Int) {
        var driver = SessionDriver()
        driver.feed(.start)
        let actions = driver.openSocket(interval: milliseconds)
        #expect(actions.count == 2)
        #expect(actions.last == .sendIdentify)
    }

    /// How the previous connection ended, and whether the next HELLO must resume.
    enum PreviousEnd: String, CaseIterable, Sendable {
        case zombie, reconnectRequested, resumableInvalidSession, invalidSession
        case closed4000, closed4009, transportFailure

        var nextResumes: Bool {
            switch self {
            case .invalidSession, .closed4009: false
            case .zombie, .reconnectRequested, .resumableInvalidSession, .closed4000, .transportFailure: true
            }
        }
    }

    @Test("every HELLO after a reconnect is answered with IDENTIFY or RESUME", arguments: PreviousEnd.allCases)
    func everyHelloIdentifiesOrResumes(previous: PreviousEnd) throws {
        var driver = SessionDriver.ready()
        let end: GatewaySessionMachine.Event
        switch previous {
        case .zombie:
            driver.feed(.heartbeatDue)
            driver.feed(.heartbeatDue)
            end = .closed(code: 4000)
        case .reconnectRequested:
            driver.feed(.reconnectRequested)
            end = .closed(code: 4000)
        case .resumableInvalidSession:
            driver.feed(.invalidSession(resumable: true))
            end = .closed(code: 4000)
        case .invalidSession:
            driver.feed(.invalidSession(resumable: false))
            end = .closed(code: 4000)
        case .closed4000: end = .closed(code: 4000)
        case .closed4009: end = .closed(code: 4009)
        case .transportFailure: end = .transportFailed(reason: "reset")
        }
        _ = try driver.reconnectDelay(after: end)
        let url = previous.nextResumes ? SessionDriver.resumeURL : SessionDriver.gatewayURL
        #expect(driver.feed(.reconnectDue) == [.connect(url: url)])
        let hello = driver.openSocket()
        #expect(hello.count == 2)
        #expect(firstBeat(hello) != nil)
        if previous.nextResumes {
            #expect(hello.last == .sendResume(sessionID: "s1", sequence: 1))
            #expect(driver.machine.status.state == .resuming)
            #expect(driver.machine.status.identifies == 1)
        } else {
            #expect(hello.last == .sendIdentify)
            #expect(driver.machine.status.state == .identifying)
            #expect(driver.machine.status.identifies == 2)
        }
    }

    @Test("a saved session is resumed at its resume URL by the first connection")
    func resumesSavedSession() {
        var driver = SessionDriver(session: SessionDriver.savedSession(sequence: 40))
        #expect(driver.feed(.start) == [.connect(url: SessionDriver.resumeURL)])
        #expect(driver.openSocket().last == .sendResume(sessionID: "saved", sequence: 40))
        #expect(driver.feed(.dispatch(.resumed, sequence: 41, ready: nil)) == [.deliver])
        #expect(driver.machine.status.state == .ready)
        #expect(driver.machine.status.resumes == 1)
        #expect(driver.machine.status.identifies == 0)
    }

    // MARK: Heartbeats

    @Test("heartbeats carry the last sequence and re-arm the timer at the full interval")
    func heartbeatsCarrySequence() {
        var driver = SessionDriver.ready()
        driver.feed(.dispatch(.messageCreate, sequence: 2, ready: nil))
        let interval = Duration.milliseconds(SessionDriver.interval)
        #expect(driver.feed(.heartbeatDue) == [.sendHeartbeat(sequence: 2), .scheduleHeartbeat(after: interval)])
        #expect(driver.feed(.heartbeatAcknowledged) == [])
        #expect(driver.feed(.heartbeatDue, after: interval)
            == [.sendHeartbeat(sequence: 2), .scheduleHeartbeat(after: interval)])
    }

    @Test("before any dispatch a heartbeat carries a null sequence")
    func heartbeatWithoutSequence() {
        var driver = SessionDriver()
        driver.feed(.start)
        driver.openSocket()
        #expect(driver.feed(.heartbeatDue).first == .sendHeartbeat(sequence: nil))
    }

    @Test("a beat not acknowledged by the next one is a zombie: closed with 4000 and resumed at once")
    func zombie() throws {
        var driver = SessionDriver.ready()
        driver.feed(.heartbeatDue)
        #expect(driver.feed(.heartbeatDue, after: .seconds(41)) == [.close(code: 4000, cause: .zombie)])
        #expect(driver.machine.status.state == .reconnecting)
        #expect(driver.feed(.dispatch(.messageCreate, sequence: 2, ready: nil)) == [])
        #expect(try driver.reconnectDelay(after: .closed(code: 4000)) == .zero)
        #expect(driver.machine.status.reconnects == 1)
        #expect(driver.feed(.reconnectDue) == [.connect(url: SessionDriver.resumeURL)])
        #expect(driver.openSocket().last == .sendResume(sessionID: "s1", sequence: 1))
    }

    @Test("op 1 is answered at once, and its ACK is awaited like any beat")
    func heartbeatRequested() {
        var driver = SessionDriver.ready()
        #expect(driver.feed(.heartbeatRequested) == [.sendHeartbeat(sequence: 1)])
        #expect(driver.feed(.heartbeatDue) == [.close(code: 4000, cause: .zombie)])
    }

    @Test("an ACK records the round trip as latency")
    func latency() {
        var driver = SessionDriver.ready()
        driver.feed(.heartbeatDue, after: .seconds(10))
        driver.feed(.heartbeatAcknowledged, after: .milliseconds(250))
        #expect(driver.machine.status.latency == .milliseconds(250))
        driver.feed(.heartbeatAcknowledged, after: .seconds(5))
        #expect(driver.machine.status.latency == .milliseconds(250))
    }

    @Test("a heartbeat timer firing before HELLO or after the socket is gone is ignored")
    func staleHeartbeatTimer() {
        var driver = SessionDriver()
        driver.feed(.start)
        #expect(driver.feed(.heartbeatDue) == [])
        driver.openSocket()
        driver.feed(.transportFailed(reason: "reset"))
        #expect(driver.feed(.heartbeatDue) == [])
        driver.feed(.reconnectDue)
        driver.feed(.connected)
        #expect(driver.feed(.heartbeatDue) == [])
    }

    // MARK: Dispatches

    @Test("replayed events are skipped; only new sequences are delivered")
    func replayDedupe() {
        var driver = SessionDriver.ready()
        #expect(driver.feed(.dispatch(.messageCreate, sequence: 2, ready: nil)) == [.deliver])
        #expect(driver.feed(.dispatch(.messageCreate, sequence: 3, ready: nil), after: .seconds(1)) == [.deliver])
        let lastEvent = driver.now
        driver.feed(.reconnectRequested)
        driver.feed(.closed(code: 4000))
        driver.feed(.reconnectDue)
        #expect(driver.openSocket().last == .sendResume(sessionID: "s1", sequence: 3))
        #expect(driver.feed(.dispatch(.messageCreate, sequence: 2, ready: nil), after: .seconds(1)) == [])
        #expect(driver.feed(.dispatch(.messageCreate, sequence: 3, ready: nil)) == [])
        #expect(driver.machine.status.lastEventAt == lastEvent)
        #expect(driver.feed(.dispatch(.interactionCreate, sequence: 4, ready: nil)) == [.deliver])
        #expect(driver.feed(.dispatch(.resumed, sequence: 5, ready: nil)) == [.deliver])
        #expect(driver.machine.status.sequence == 5)
        #expect(driver.machine.session?.sequence == 5)
        #expect(driver.machine.status.lastEventAt == driver.now)
        #expect(driver.machine.status.state == .ready)
        #expect(driver.machine.status.resumes == 1)
    }

    @Test("READY starts a session at its resume URL, or at the gateway URL without one")
    func readyStartsSession() {
        var driver = SessionDriver()
        driver.feed(.start)
        driver.openSocket()
        driver.feed(.dispatch(.ready, sequence: 1, ready: .init(sessionID: "abc", resumeURL: nil)))
        #expect(driver.machine.session == ResumableSession(shardID: 0, sessionID: "abc", sequence: 1,
                                                           resumeURL: SessionDriver.gatewayURL, savedAt: .distantPast))
        #expect(driver.machine.status.sessionID == "abc")
        #expect(driver.machine.status.state == .ready)
    }

    // MARK: Op 7 and op 9

    @Test("op 7 closes with 4000 and resumes at once, however the socket then ends", arguments: socketEnds)
    func reconnectRequested(end: GatewaySessionMachine.Event) throws {
        var driver = SessionDriver.ready()
        #expect(driver.feed(.reconnectRequested) == [.close(code: 4000, cause: .reconnectRequested)])
        #expect(try driver.reconnectDelay(after: end) == .zero)
        #expect(driver.feed(.closed(code: 4000)) == [])
        #expect(driver.feed(.reconnectDue) == [.connect(url: SessionDriver.resumeURL)])
        #expect(driver.openSocket().last == .sendResume(sessionID: "s1", sequence: 1))
    }

    @Test("op 9 resumable closes with 4000 and resumes at once, however the socket then ends", arguments: socketEnds)
    func resumableInvalidSession(end: GatewaySessionMachine.Event) throws {
        var driver = SessionDriver.ready()
        #expect(driver.feed(.invalidSession(resumable: true))
            == [.close(code: 4000, cause: .invalidSession(resumable: true))])
        #expect(try driver.reconnectDelay(after: end) == .zero)
        #expect(driver.feed(end) == [])
        #expect(driver.feed(.reconnectDue) == [.connect(url: SessionDriver.resumeURL)])
        #expect(driver.openSocket().last == .sendResume(sessionID: "s1", sequence: 1))
    }

    @Test("op 9 not resumable forgets the session and identifies after 1–5 s, however the socket then ends",
          arguments: socketEnds)
    func invalidSession(end: GatewaySessionMachine.Event) throws {
        var driver = SessionDriver.ready()
        driver.feed(.dispatch(.messageCreate, sequence: 2, ready: nil))
        #expect(driver.feed(.invalidSession(resumable: false))
            == [.close(code: 4000, cause: .invalidSession(resumable: false))])
        #expect(driver.machine.session == nil)
        #expect(driver.machine.status.sessionID == nil)
        #expect(driver.machine.status.sequence == 0)
        #expect(driver.feed(.dispatch(.messageCreate, sequence: 3, ready: nil)) == [])
        let delay = try driver.reconnectDelay(after: end)
        #expect(delay >= .seconds(1) && delay <= .seconds(5))
        #expect(driver.feed(.closed(code: 4000)) == [])
        #expect(driver.feed(.reconnectDue, after: delay) == [.connect(url: SessionDriver.gatewayURL)])
        #expect(driver.openSocket().last == .sendIdentify)
        #expect(driver.machine.status.identifies == 2)
        let ready = GatewaySessionMachine.ReadyFacts(sessionID: "s2", resumeURL: nil)
        #expect(driver.feed(.dispatch(.ready, sequence: 1, ready: ready)) == [.deliver])
    }

    // MARK: Close codes

    @Test("fatal close codes fail the shard with the cause, and nothing follows",
          arguments: [4004, 4010, 4011, 4012, 4013, 4014] as [UInt16])
    func fatalClose(code: UInt16) {
        var driver = SessionDriver.ready()
        #expect(driver.feed(.closed(code: code)) == [.fail(.fatalClose(GatewayCloseCode(code)))])
        #expect(driver.machine.status.state == .failed)
        #expect(driver.machine.status.failure == GatewayCloseCode(code).description)
        #expect(driver.machine.status.reconnects == 0)
        let later: [GatewaySessionMachine.Event] = [.reconnectDue, .start, .connected, .closed(code: 4000), .stopRequested]
        for event in later {
            #expect(driver.feed(event) == [])
        }
    }

    @Test("4004 names the fix for the operator")
    func authenticationFailureText() {
        var driver = SessionDriver.ready()
        driver.feed(.closed(code: 4004))
        #expect(driver.machine.status.failure == "4004 (authentication failed: the token is invalid; check DISCORD_TOKEN)")
    }

    @Test("codes that end the session reconnect after a back-off and identify",
          arguments: [1000, 1001, 4007, 4009] as [UInt16])
    func sessionEndingClose(code: UInt16) throws {
        var driver = SessionDriver.ready()
        let delay = try driver.reconnectDelay(after: .closed(code: code))
        #expect(delay >= .milliseconds(500) && delay <= .seconds(1))
        #expect(driver.machine.session == nil)
        #expect(driver.machine.status.sequence == 0)
        #expect(driver.machine.status.state == .reconnecting)
        #expect(driver.feed(.reconnectDue, after: delay) == [.connect(url: SessionDriver.gatewayURL)])
        #expect(driver.openSocket().last == .sendIdentify)
    }

    @Test("other codes, and no code, reconnect after a back-off and resume",
          arguments: [4000, 4008, 1006, nil] as [UInt16?])
    func resumableClose(code: UInt16?) throws {
        var driver = SessionDriver.ready()
        let delay = try driver.reconnectDelay(after: .closed(code: code))
        #expect(delay >= .milliseconds(500) && delay <= .seconds(1))
        #expect(driver.machine.status.reconnects == 1)
        #expect(driver.feed(.reconnectDue, after: delay) == [.connect(url: SessionDriver.resumeURL)])
        #expect(driver.openSocket().last == .sendResume(sessionID: "s1", sequence: 1))
    }

    // MARK: Back-off and failed resumes

    @Test("two connections in a row that fail to resume make the next one identify",
          arguments: [
              .transportFailed(reason: "connection refused"), .closed(code: 4000), .closed(code: nil),
          ] as [GatewaySessionMachine.Event])
    func failedResumesIdentify(failure: GatewaySessionMachine.Event) throws {
        let oldURL = "wss://gone.example"
        var driver = SessionDriver(session: SessionDriver.savedSession(resumeURL: oldURL))
        #expect(driver.feed(.start) == [.connect(url: oldURL)])
        _ = try driver.reconnectDelay(after: .transportFailed(reason: "connection refused"))
        #expect(driver.machine.session != nil)
        #expect(driver.feed(.reconnectDue) == [.connect(url: oldURL)])
        #expect(driver.openSocket().last == .sendResume(sessionID: "saved", sequence: 40))
        _ = try driver.reconnectDelay(after: failure)
        #expect(driver.machine.session == nil)
        #expect(driver.feed(.reconnectDue) == [.connect(url: SessionDriver.gatewayURL)])
        #expect(driver.openSocket().last == .sendIdentify)
    }

    @Test("resumes the machine itself closed (zombies) do not count as failed: the session survives a flaky link")
    func zombieClosesKeepTheSession() throws {
        var driver = SessionDriver(session: SessionDriver.savedSession())
        driver.feed(.start)
        for _ in 0..<3 {
            // HELLO, RESUME, two beats without an ACK: the machine closes the zombie before RESUMED.
            #expect(driver.openSocket().last == .sendResume(sessionID: "saved", sequence: 40))
            driver.feed(.heartbeatDue)
            let close = driver.feed(.heartbeatDue)
            #expect(close.contains { if case .close(_, .zombie) = $0 { true } else { false } }, "\(close)")
            #expect(driver.feed(.closed(code: 4000)) == [.reconnect(after: .zero)])
            #expect(driver.machine.session != nil)
            #expect(driver.feed(.reconnectDue) == [.connect(url: SessionDriver.resumeURL)])
        }
    }

    @Test("a resume that succeeds clears the count of failed ones")
    func successfulResumeClearsFailures() {
        var driver = SessionDriver(session: SessionDriver.savedSession())
        driver.feed(.start)
        driver.feed(.transportFailed(reason: "refused"))
        driver.feed(.reconnectDue)
        driver.openSocket()
        driver.feed(.dispatch(.resumed, sequence: 41, ready: nil))
        driver.feed(.closed(code: 4000))
        driver.feed(.reconnectDue)
        driver.feed(.transportFailed(reason: "refused"))
        #expect(driver.feed(.reconnectDue) == [.connect(url: SessionDriver.resumeURL)])
        #expect(driver.openSocket().last == .sendResume(sessionID: "saved", sequence: 41))
    }

    @Test("the back-off doubles, is capped, and starts over once a connection is established")
    func backoffGrowsAndResets() throws {
        var driver = SessionDriver()
        driver.feed(.start)
        var delays: [Duration] = []
        for _ in 0..<10 {
            delays.append(try driver.reconnectDelay(after: .transportFailed(reason: "refused")))
            driver.feed(.reconnectDue)
        }
        for (attempt, delay) in delays.prefix(6).enumerated() {
            let full = Duration.seconds(1 << attempt)
            #expect(delay >= full / 2 && delay <= full)
        }
        #expect(delays.allSatisfy { $0 <= .seconds(60) })
        #expect(delays.last! >= .seconds(30))
        #expect(driver.machine.status.reconnects == 10)

        driver.openSocket()
        driver.feed(.dispatch(.ready, sequence: 1, ready: .init(sessionID: "s1", resumeURL: nil)))
        let afterReady = try driver.reconnectDelay(after: .transportFailed(reason: "reset"))
        #expect(afterReady >= .milliseconds(500) && afterReady <= .seconds(1))
    }

    @Test("the configuration's back-off and op 9 pause become the rules")
    func rulesFromConfiguration() {
        var configuration = GatewayConfiguration(token: BotToken("t"))
        configuration.reconnectBase = .milliseconds(10)
        configuration.reconnectMaximum = .seconds(2)
        configuration.invalidSessionDelay = 0.5...0.75
        let rules = GatewaySessionMachine.Rules(configuration)
        #expect(rules.reconnectBase == .milliseconds(10))
        #expect(rules.reconnectMaximum == .seconds(2))
        #expect(rules.invalidSessionDelay == 0.5...0.75)
        #expect(rules.resumableCloseCode == 4000)
    }

    // MARK: Stopping

    @Test("stopping while connected closes with 4000, ends once the socket is gone, and keeps the session",
          arguments: socketEnds)
    func stopWhileConnected(end: GatewaySessionMachine.Event) {
        var driver = SessionDriver.ready()
        driver.feed(.dispatch(.messageCreate, sequence: 2, ready: nil))
        #expect(driver.feed(.stopRequested) == [.close(code: 4000, cause: .stopping)])
        #expect(driver.feed(.dispatch(.messageCreate, sequence: 3, ready: nil)) == [])
        #expect(driver.feed(end) == [.stopped])
        #expect(driver.machine.status.state == .stopped)
        #expect(driver.machine.status.reconnects == 0)
        #expect(driver.machine.session?.sessionID == "s1")
        #expect(driver.machine.session?.sequence == 2)
        let later: [GatewaySessionMachine.Event] = [
            .reconnectDue, .start, .connected, .heartbeatDue, .closed(code: 4000), .stopRequested,
        ]
        for event in later {
            #expect(driver.feed(event) == [])
        }
    }

    @Test("stopping while waiting to reconnect ends at once; the pending reconnect is ignored")
    func stopWhileWaiting() {
        var driver = SessionDriver.ready()
        driver.feed(.transportFailed(reason: "reset"))
        #expect(driver.feed(.stopRequested) == [.stopped])
        #expect(driver.feed(.reconnectDue) == [])
        #expect(driver.machine.session?.sessionID == "s1")
    }

    @Test("stopping before the start ends at once")
    func stopBeforeStart() {
        var driver = SessionDriver()
        #expect(driver.feed(.stopRequested) == [.stopped])
        #expect(driver.feed(.start) == [])
    }

    @Test("stopping while the socket opens closes it once open, or ends if the connect fails")
    func stopWhileConnecting() {
        var opened = SessionDriver()
        opened.feed(.start)
        #expect(opened.feed(.stopRequested) == [])
        #expect(opened.feed(.connected) == [.close(code: 4000, cause: .stopping)])
        #expect(opened.feed(.hello(heartbeatIntervalMilliseconds: SessionDriver.interval)) == [])
        #expect(opened.feed(.closed(code: 4000)) == [.stopped])

        var failed = SessionDriver()
        failed.feed(.start)
        #expect(failed.feed(.stopRequested) == [])
        #expect(failed.feed(.transportFailed(reason: "refused")) == [.stopped])
    }

    @Test("stopping while a close for reconnecting is under way stops instead, without a second close")
    func stopOverridesReconnect() {
        var driver = SessionDriver.ready()
        driver.feed(.reconnectRequested)
        #expect(driver.feed(.stopRequested) == [])
        #expect(driver.feed(.closed(code: 4000)) == [.stopped])
        #expect(driver.machine.status.reconnects == 0)
    }
}

@Suite struct ZlibStreamInflaterTests {
    @Test("a compressed message whose end never comes is refused at the limit instead of buffered for ever")
    func unterminatedMessageIsCapped() throws {
        let inflater = try ZlibStreamInflater()
        let chunk = [UInt8](repeating: 0x41, count: 16 << 10)
        for _ in 0..<3 { #expect(try inflater.append(chunk, limit: 64 << 10) == nil) }
        #expect(throws: GatewayError.oversizedMessage(limit: 64 << 10)) { _ = try inflater.append(chunk + chunk, limit: 64 << 10) }
    }
}
