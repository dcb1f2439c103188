@testable import CogHost
import Testing

/// Cog calls with owners: events reach the call they belong to, deadlines fire without a
/// sweep, and a late or duplicate completion finds nothing.
@Suite("Call registry: per-call deadlines and owned calls")
struct CallRegistryTests {
    @Test("the automatic deferral and the timeout arrive on time, driven by the registry's timer")
    func deadlinesFire() async throws {
        let registry = CallRegistry.make()
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await registry.run() }
            let clock = ContinuousClock()
            let started = clock.now
            let events = await registry.withCall(timeout: .milliseconds(300), autoDeferAfter: .milliseconds(100)) { call in
                var seen: [(String, Duration)] = []
                for _ in 0..<2 {
                    switch await call.next() {
                    case .deferRequested(_, let automatic): seen.append((automatic ? "auto-defer" : "defer", clock.now - started))
                    case .timedOut: seen.append(("timeout", clock.now - started))
                    case .completed: seen.append(("completed", clock.now - started))
                    }
                }
                return seen
            }
            #expect(events.map(\.0) == ["auto-defer", "timeout"])
            // Never early; late only by what a loaded machine adds (the bounds say "it fired").
            #expect(events[0].1 >= .milliseconds(100) && events[0].1 < .seconds(20), "\(events)")
            #expect(events[1].1 >= .milliseconds(300) && events[1].1 < .seconds(20), "\(events)")
            group.cancelAll()
        }
    }

    @Test("a completion reaches its call; a second one, or one after the call closed, is refused")
    func lateAndDuplicateCompletions() async {
        let registry = CallRegistry.make()
        var id: UInt64 = 0
        let bytes = await registry.withCall(timeout: .seconds(60), autoDeferAfter: nil) { call in
            id = call.id
            #expect(CallRegistry.post(.completed(status: 0, bytes: [1, 2]), toCall: call.id))
            if case .completed(_, let bytes) = await call.next() { return bytes }
            return []
        }
        #expect(bytes == [1, 2])
        #expect(!CallRegistry.post(.completed(status: 0, bytes: []), toCall: id), "the call closed with its scope")
        #expect(!CallRegistry.post(.completed(status: 0, bytes: []), toCall: 12_345), "an id no registry gave out")
    }

    @Test("two hosts' registries keep their calls apart")
    func registriesAreSeparate() async {
        let first = CallRegistry.make()
        let second = CallRegistry.make()
        await first.withCall(timeout: .seconds(60), autoDeferAfter: nil) { a in
            await second.withCall(timeout: .seconds(60), autoDeferAfter: nil) { b in
                #expect(a.id != b.id)
                #expect(CallRegistry.post(.completed(status: 0, bytes: [2]), toCall: b.id))
                #expect(CallRegistry.post(.completed(status: 0, bytes: [1]), toCall: a.id))
                if case .completed(_, let bytes) = await a.next() { #expect(bytes == [1]) }
                if case .completed(_, let bytes) = await b.next() { #expect(bytes == [2]) }
            }
        }
    }

    @Test("a cog cannot reach another call from its own id: neighbouring ids are not open, and ids follow no step")
    func idsCannotBeGuessed() async {
        let registry = CallRegistry.make()
        var ids: [UInt64] = []
        for _ in 0..<64 {
            await registry.withCall(timeout: .seconds(60), autoDeferAfter: nil) { mine in
                await registry.withCall(timeout: .seconds(60), autoDeferAfter: nil) { other in
                    ids += [mine.id, other.id]
                    for guess in [mine.id &+ 1, mine.id &- 1, mine.id ^ 1, mine.id &+ 8] where guess != other.id {
                        #expect(!CallRegistry.post(.deferRequested(ephemeral: false, automatic: false), toCall: guess))
                    }
                }
            }
        }
        let steps = Set(zip(ids, ids.dropFirst()).map { $1 &- $0 })
        #expect(steps.count > 100, "ids \(ids.prefix(4)) advance by a pattern")
        #expect(Set(ids).count == ids.count)
    }
}
