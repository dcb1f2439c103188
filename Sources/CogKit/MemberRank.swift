/// Where members stand in the guild's role order, so what a member sets up or does through a
/// cog stays below their own rank, as Discord requires of members themselves: a manager may
/// not hand out, through an auto-role or a reaction role, a role above their own, nor moderate
/// someone ranked as high.
///
/// ```swift
/// guard try await context.outranks(role: role.id) else {
///     throw CommandError("\(role.mention) is not below your highest role.")
/// }
/// guard try await context.outranks(member: target.id) == true else {
///     throw CommandError("Your highest role must be above theirs.")
/// }
/// ```
extension CommandContext {
    /// Whether the user who ran the command ranks above `role`: the guild's owner always does,
    /// anyone else when their highest role is above it. `false` outside a guild or when the
    /// guild is not cached.
    public func outranks(role: Snowflake) async throws -> Bool {
        guard let guild = guildID, let snapshot = try await cache.guild(guild) else { return false }
        if user.id == snapshot.ownerID { return true }
        let positions = Self.positions(snapshot)
        guard let position = positions[role] else { return false }
        return try await highest(of: user.id, in: guild, positions) > position
    }

    /// Whether the user who ran the command ranks above member `target`; `nil` when `target`
    /// is not a member of the guild (Discord names no roles for them). Nobody outranks the
    /// owner, and only the owner outranks everyone.
    public func outranks(member target: Snowflake) async throws -> Bool? {
        guard let guild = guildID, let snapshot = try await cache.guild(guild) else { return false }
        guard target != snapshot.ownerID else { return false }
        if user.id == snapshot.ownerID { return true }
        let positions = Self.positions(snapshot)
        guard let targetRoles = try await roles(of: target, in: guild) else { return nil }
        let targetTop = targetRoles.compactMap { positions[$0] }.max() ?? 0
        return try await highest(of: user.id, in: guild, positions) > targetTop
    }

    /// The roles of `member`: from the interaction (the invoker's own, or an option's resolved
    /// member), else from the cache; `nil` when neither knows them as a member.
    private func roles(of member: Snowflake, in guild: Snowflake) async throws -> [Snowflake]? {
        // An empty list from the interaction may only mean it left them out: the cache may know more.
        if member == user.id, let own = interactionMember?.roles, !own.isEmpty { return own }
        if let resolved = resolvedMembers?[member.description]?.roles, !resolved.isEmpty { return resolved }
        if resolvedMembers?[member.description] != nil, try await cache.member(member, in: guild) == nil { return [] }
        return try await cache.member(member, in: guild)?.roles
    }

    private func highest(of member: Snowflake, in guild: Snowflake, _ positions: [Snowflake: Int]) async throws -> Int {
        (try await roles(of: member, in: guild) ?? []).compactMap { positions[$0] }.max() ?? 0
    }

    private static func positions(_ snapshot: GuildSnapshot) -> [Snowflake: Int] {
        Dictionary(snapshot.roles.map { ($0.id, $0.position) }, uniquingKeysWith: { first, _ in first })
    }
}
