import DiscordCache
import Testing

/// Discord's permission computation, checked against the rules and examples of the permissions
/// topic of Discord's docs. `../shared/discord/docs/` has no permissions page, so the examples are
/// those of the published topic (docs.discord.com/developers/topics/permissions), written out here.
@Suite("Permissions: Discord's computation")
struct PermissionComputationTests {
    typealias P = PermissionComputation
    static let guild: UInt64 = 1
    static let member: UInt64 = 2
    static let moderators: UInt64 = 3
    static let muted: UInt64 = 4
    static let everyone = P.viewChannel | P.sendMessages | P.readMessageHistory | P.embedLinks | P.attachFiles

    @Test("the owner and Administrator have every permission, and no overwrite takes any away")
    func ownerAndAdministrator() {
        #expect(P.base(isOwner: true, everyone: 0, roles: []) == P.all)
        #expect(P.base(isOwner: false, everyone: Self.everyone, roles: [P.administrator]) == P.all)
        let denyEverything = [PermissionOverwrite(id: Self.guild, kind: .role, allow: 0, deny: P.all)]
        #expect(P.inChannel(base: P.all, guild: Self.guild, member: Self.member, roles: [], overwrites: denyEverything, timedOut: true) == P.all)
    }

    @Test("base permissions are @everyone's OR-ed with each of the member's roles")
    func basePermissions() {
        let kick: UInt64 = 1 << 1
        #expect(P.base(isOwner: false, everyone: Self.everyone, roles: [kick, P.mentionEveryone]) == Self.everyone | kick | P.mentionEveryone)
    }

    @Test("overwrites apply in order: @everyone, then the member's roles together, then the member")
    func overwriteOrder() {
        // @everyone may not send here; moderators may; this member, a moderator, is denied by name.
        let overwrites = [
            PermissionOverwrite(id: Self.member, kind: .member, allow: 0, deny: P.attachFiles),
            PermissionOverwrite(id: Self.moderators, kind: .role, allow: P.sendMessages, deny: 0),
            PermissionOverwrite(id: Self.guild, kind: .role, allow: 0, deny: P.sendMessages),
        ]
        let base = P.base(isOwner: false, everyone: Self.everyone, roles: [])
        let plain = P.inChannel(base: base, guild: Self.guild, member: 9, roles: [], overwrites: overwrites)
        #expect(plain & P.sendMessages == 0, "@everyone's deny holds for a member without the role")
        let moderator = P.inChannel(base: base, guild: Self.guild, member: Self.member, roles: [Self.moderators], overwrites: overwrites)
        #expect(moderator & P.sendMessages != 0, "a role's allow beats @everyone's deny")
        #expect(moderator & P.attachFiles == 0, "the member's own overwrite comes last")
    }

    @Test("role overwrites are combined before they apply: an allow on one role beats a deny on another")
    func roleOverwritesTogether() {
        let overwrites = [
            PermissionOverwrite(id: Self.muted, kind: .role, allow: 0, deny: P.sendMessages),
            PermissionOverwrite(id: Self.moderators, kind: .role, allow: P.sendMessages, deny: 0),
        ]
        let both = P.inChannel(base: Self.everyone, guild: Self.guild, member: Self.member, roles: [Self.muted, Self.moderators],
                               overwrites: overwrites)
        #expect(both & P.sendMessages != 0)
        let mutedOnly = P.inChannel(base: Self.everyone, guild: Self.guild, member: Self.member, roles: [Self.muted], overwrites: overwrites)
        #expect(mutedOnly & P.sendMessages == 0)
    }

    @Test("without VIEW_CHANNEL nothing in the channel applies; without SEND_MESSAGES neither do the message ones")
    func implicitPermissions() {
        let hidden = [PermissionOverwrite(id: Self.guild, kind: .role, allow: 0, deny: P.viewChannel)]
        #expect(P.inChannel(base: Self.everyone | P.mentionEveryone, guild: Self.guild, member: Self.member, roles: [], overwrites: hidden) == 0)
        let readOnly = [PermissionOverwrite(id: Self.guild, kind: .role, allow: 0, deny: P.sendMessages)]
        let permissions = P.inChannel(base: Self.everyone | P.mentionEveryone, guild: Self.guild, member: Self.member, roles: [],
                                      overwrites: readOnly)
        #expect(permissions == P.viewChannel | P.readMessageHistory)
    }

    @Test("a member in a timeout can only read")
    func timeout() {
        #expect(P.inChannel(base: Self.everyone, guild: Self.guild, member: Self.member, roles: [], overwrites: [], timedOut: true)
            == P.viewChannel | P.readMessageHistory)
    }
}
