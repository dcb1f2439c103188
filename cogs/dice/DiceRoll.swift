/// The outcome of rolling a ``DiceExpression``.
struct DiceRoll: Equatable, Sendable {
    /// One term's dice and value.
    struct Part: Equatable, Sendable {
        var negative: Bool
        var rolls: [Int]
        var kept: [Int]
        var value: Int
        var label: String
    }

    let parts: [Part]
    let total: Int

    /// "2d6 [3, 5] + 3 = **11**"; dropped dice are struck through.
    var summary: String {
        var text = ""
        for (offset, part) in parts.enumerated() {
            if offset > 0 || part.negative { text += part.negative ? " - " : " + " }
            if part.rolls.isEmpty {
                text += part.label
            } else {
                var remaining = part.kept
                let shown = part.rolls.prefix(20).map { roll -> String in
                    if let at = remaining.firstIndex(of: roll) {
                        remaining.remove(at: at)
                        return String(roll)
                    }
                    return "~~\(roll)~~"
                }
                let more = part.rolls.count > 20 ? ", …" : ""
                text += "\(part.label) [\(shown.joined(separator: ", "))\(more)]"
            }
        }
        return "\(text) = **\(total)**"
    }
}
