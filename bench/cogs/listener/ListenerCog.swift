import CogKit
import Synchronization

/// The benchmark's listening cog (BENCHMARKS.md, "Events"): it counts the messages and the
/// members that joined, as discord.py's `bench/discordpy/listeners.py` does, and logs every
/// 1,000th of each so the driver sees the count reach its target. No storage and no reply: the
/// figure is the cost of bringing an event to a typed listener.
final class ListenerCog: Cog {
    static let name = "listener"
    static let version = "1.0.0"
    static var commands: [Command<ListenerCog>] { [] }

    static var listeners: [Listener<ListenerCog>] {
        [
            // The typed listeners decode the payload (a Message, a Member), as discord.py builds its objects.
            .messageCreated { cog, _, context in
                cog.reached("MESSAGE_CREATE", cog.messages.add(1, ordering: .relaxed).newValue, context)
            },
            .memberJoined { cog, _, context in
                cog.reached("GUILD_MEMBER_ADD", cog.members.add(1, ordering: .relaxed).newValue, context)
            },
        ]
    }

    private let messages = Atomic<Int>(0)
    private let members = Atomic<Int>(0)

    init(setup: CogSetup) {}

    private func reached(_ event: String, _ count: Int, _ context: EventContext) {
        if count % 1000 == 0 { context.logger.warning("REACHED \(event) \(count)") }
    }
}

@_cdecl("cog_entry")
public func cogEntry() -> UnsafeRawPointer { exportCog(ListenerCog.self) }
