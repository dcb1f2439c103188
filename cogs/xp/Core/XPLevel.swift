/// Levels from XP: level n starts at 50·n² XP (0, 50, 200, 450, …), so each level takes a
/// little longer than the last.
public struct XPLevel: Sendable, Equatable {
    public let xp: Int64

    public init(xp: Int64) {
        self.xp = max(0, xp)
    }

    public var level: Int64 {
        var level = Int64(Double(xp / 50).squareRoot())
        while 50 * (level + 1) * (level + 1) <= xp { level += 1 }
        while level > 0, 50 * level * level > xp { level -= 1 }
        return level
    }

    /// XP still needed for the next level.
    public var toNextLevel: Int64 { 50 * (level + 1) * (level + 1) - xp }
}
