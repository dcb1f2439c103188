import Testing

@testable import DiscordGateway

@Suite("Pacing gateway sends under 120 per minute")
struct GatewaySendPacerTests {
    static let discordInterval = Duration.milliseconds(41_250)

    /// Admits `count` sends at `instant`, expecting each to go at once.
    private func admitAll(_ count: Int, heartbeat: Bool = false, into pacer: inout GatewaySendPacer,
                          at instant: ContinuousClock.Instant) {
        for _ in 0..<count { #expect(pacer.admit(heartbeat: heartbeat, at: instant) == nil) }
    }

    @Test("with Discord's interval, 117 sends go at once and the next waits for the window to slide")
    func reservesRoomForHeartbeats() {
        let t0 = ContinuousClock.now
        var pacer = GatewaySendPacer(limit: 120, window: .seconds(60), heartbeatInterval: Self.discordInterval)
        admitAll(117, into: &pacer, at: t0)
        #expect(pacer.admit(heartbeat: false, at: t0) == .seconds(60))
        #expect(pacer.admit(heartbeat: false, at: t0 + .seconds(20)) == .seconds(40))
    }

    @Test("heartbeats go at once even when other sends must wait, and past the limit")
    func heartbeatsNeverWait() {
        let t0 = ContinuousClock.now
        var pacer = GatewaySendPacer(limit: 120, window: .seconds(60), heartbeatInterval: Self.discordInterval)
        admitAll(117, into: &pacer, at: t0)
        admitAll(10, heartbeat: true, into: &pacer, at: t0 + .seconds(1))
        #expect(pacer.admit(heartbeat: false, at: t0 + .seconds(2)) == .seconds(58))
    }

    @Test("the reserve is one window's heartbeats plus one, at most a quarter of the limit",
          arguments: [
              (Duration.milliseconds(41_250), 117), (.seconds(1), 90), (.seconds(60), 118), (.seconds(120), 118),
              (.seconds(30), 117),
          ])
    func reserveSize(heartbeatInterval: Duration, admitted: Int) {
        let t0 = ContinuousClock.now
        var pacer = GatewaySendPacer(limit: 120, window: .seconds(60), heartbeatInterval: heartbeatInterval)
        admitAll(admitted, into: &pacer, at: t0)
        #expect(pacer.admit(heartbeat: false, at: t0) != nil)
    }

    @Test("the window slides: sends leave it 60 s after they went")
    func windowSlides() {
        let t0 = ContinuousClock.now
        var pacer = GatewaySendPacer(limit: 120, window: .seconds(60), heartbeatInterval: Self.discordInterval)
        admitAll(50, into: &pacer, at: t0)
        admitAll(67, into: &pacer, at: t0 + .seconds(30))
        #expect(pacer.admit(heartbeat: false, at: t0 + .seconds(45)) == .seconds(15))
        admitAll(50, into: &pacer, at: t0 + .seconds(60))
        #expect(pacer.admit(heartbeat: false, at: t0 + .seconds(60)) == .seconds(30))
        admitAll(67, into: &pacer, at: t0 + .seconds(90))
    }

    @Test("a send told to wait is not counted")
    func refusedSendIsNotCounted() {
        let t0 = ContinuousClock.now
        var pacer = GatewaySendPacer(limit: 8, window: .seconds(10), heartbeatInterval: .seconds(5))
        admitAll(6, into: &pacer, at: t0)
        for _ in 0..<5 { #expect(pacer.admit(heartbeat: false, at: t0 + .seconds(1)) == .seconds(9)) }
        admitAll(6, into: &pacer, at: t0 + .seconds(10))
    }
}
