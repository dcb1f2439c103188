import Foundation
import Synchronization

/// What each cog is doing on Discord right now: the channels and users of the interactions
/// and events it was given in the last ``window``, the interactions it may still follow up,
/// the DM channels and threads it opened. A cog posts only where its work points
/// (``DiscordActionPlanner``), so a player's pasted channel id from another guild, or a cog's
/// stale id, never becomes a post in a guild unrelated to what the cog is doing.
@_spi(Benchmarks) public final class CogReach: Sendable {
    /// How long an interaction or event keeps its channel open to the cog: an interaction's
    /// token lives 15 minutes, and a follow-up may come that late.
    static let window: TimeInterval = 15 * 60
    /// Entries kept per cog and kind; past it the oldest go first.
    static let limit = 10_000

    /// An interaction the cog was given, with what a follow-up needs.
    struct Interaction: Sendable, Equatable {
        var applicationID: UInt64
        var token: String
        var channelID: UInt64?
        var at: Date
    }

    private struct Reach {
        var channels: [UInt64: Date] = [:]
        var users: [UInt64: Date] = [:]
        var interactions: [UInt64: Interaction] = [:]
        /// The DM channel of each user the cog wrote to (DM channels do not expire on Discord).
        var directMessageChannels: [UInt64: UInt64] = [:]
        /// Threads the cog made: its own for as long as the process runs.
        var threads: Set<UInt64> = []
    }

    private let reaches = Mutex<[String: Reach]>([:])

    @_spi(Benchmarks) public init() {}

    /// `cog` was given an interaction; `channels` are the channels it names (its own and the
    /// channels in its options).
    func interaction(_ id: UInt64, applicationID: UInt64, token: String, channels: [UInt64], user: UInt64?, cog: String,
                     now: Date = Date()) {
        reaches.withLock { reaches in
            var reach = reaches[cog] ?? Reach()
            for channel in channels { Self.note(channel, at: now, in: &reach.channels) }
            if let user { Self.note(user, at: now, in: &reach.users) }
            reach.interactions[id] = Interaction(applicationID: applicationID, token: token, channelID: channels.first, at: now)
            if reach.interactions.count > Self.limit {
                // The newest half stays: a filter alone would keep every fresh one and run again on the next.
                let keep = reach.interactions.filter { now.timeIntervalSince($0.value.at) < Self.window }
                    .sorted { $0.value.at > $1.value.at }.prefix(Self.limit / 2)
                reach.interactions = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
            }
            reaches[cog] = reach
        }
    }

    /// `cog` was given an event in `channel` (or made a thread there), from `user`.
    func touched(channel: UInt64?, user: UInt64?, cog: String, now: Date = Date()) {
        guard channel != nil || user != nil else { return }
        reaches.withLock { reaches in
            if let channel { Self.note(channel, at: now, in: &reaches[cog, default: Reach()].channels) }
            if let user { Self.note(user, at: now, in: &reaches[cog, default: Reach()].users) }
        }
    }

    /// Whether `cog`'s recent work points to `channel`.
    func reaches(channel: UInt64, cog: String, now: Date = Date()) -> Bool {
        reaches.withLock { reaches in
            guard let reach = reaches[cog] else { return false }
            return Self.fresh(reach.channels[channel], now) || reach.threads.contains(channel)
                || reach.directMessageChannels.values.contains(channel)
        }
    }

    /// Whether `cog`'s recent work came from `user`.
    func reaches(user: UInt64, cog: String, now: Date = Date()) -> Bool {
        reaches.withLock { Self.fresh($0[cog]?.users[user], now) }
    }

    /// An interaction `cog` was given less than ``window`` ago.
    func interaction(_ id: UInt64, cog: String, now: Date = Date()) -> Interaction? {
        reaches.withLock { reaches in
            guard let interaction = reaches[cog]?.interactions[id], now.timeIntervalSince(interaction.at) < Self.window else { return nil }
            return interaction
        }
    }

    /// `cog` made `thread`, and may post in it from now on.
    func made(thread: UInt64, cog: String) {
        reaches.withLock { reaches in
            var threads = reaches[cog]?.threads ?? []
            if threads.count >= Self.limit { threads.removeAll() }
            threads.insert(thread)
            reaches[cog, default: Reach()].threads = threads
        }
    }

    func directMessageChannel(with user: UInt64, cog: String) -> UInt64? {
        reaches.withLock { $0[cog]?.directMessageChannels[user] }
    }

    func opened(directMessageChannel channel: UInt64, with user: UInt64, cog: String) {
        reaches.withLock { reaches in
            var channels = reaches[cog]?.directMessageChannels ?? [:]
            if channels.count >= Self.limit { channels.removeAll() }
            channels[user] = channel
            reaches[cog, default: Reach()].directMessageChannels = channels
        }
    }

    private static func fresh(_ seen: Date?, _ now: Date) -> Bool {
        seen.map { now.timeIntervalSince($0) < window } ?? false
    }

    private static func note(_ id: UInt64, at now: Date, in entries: inout [UInt64: Date]) {
        entries[id] = now
        guard entries.count > limit else { return }
        entries = entries.filter { now.timeIntervalSince($0.value) < window }
        // Still full of fresh entries: keep the newest half.
        if entries.count > limit {
            let keep = entries.sorted { $0.value > $1.value }.prefix(limit / 2)
            entries = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
        }
    }
}
