/// A cooldown declared by a cog for one route.
struct CooldownRule: Sendable, Equatable {
    enum Scope: String, Sendable {
        case user, member, channel, guild, global
    }

    let rate: Int
    let per: Double
    let scope: Scope

    init(_ declaration: CogManifest.CooldownDeclaration) {
        rate = declaration.rate
        per = declaration.per
        scope = Scope(rawValue: declaration.scope) ?? .user
    }

    init(rate: Int, per: Double, scope: Scope) {
        self.rate = rate
        self.per = per
        self.scope = scope
    }
}
