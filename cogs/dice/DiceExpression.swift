/// A parsed dice expression such as `2d6+3`, `4d6kh3`, `d20 - 1` or `3d%`.
///
/// Grammar: `term (('+' | '-') term)*`, where a term is a whole number or `[N]dS[khK|klK]`
/// (N dice, S sides or `%`, keep the K highest or lowest).
struct DiceExpression: Equatable, Sendable {
    /// Limits that keep a roll cheap and its answer readable.
    enum Limits {
        static let maxLength = 100
        static let maxDicePerTerm = 100
        static let maxTotalDice = 200
        static let maxSides = 1_000
        static let maxConstant = 1_000_000
    }

    /// One summand.
    enum Term: Equatable, Sendable {
        case constant(Int)
        case dice(count: Int, sides: Int, keep: Keep?)
    }

    /// Which dice of a term count towards the total.
    enum Keep: Equatable, Sendable {
        case highest(Int)
        case lowest(Int)
    }

    /// A term with its sign.
    struct SignedTerm: Equatable, Sendable {
        var negative: Bool
        var term: Term
    }

    let terms: [SignedTerm]

    /// Parses `text`, or throws a ``DiceSyntaxError`` that points at the problem.
    init(parsing text: String) throws {
        guard text.count <= Limits.maxLength else {
            throw DiceSyntaxError(position: Limits.maxLength + 1, message: "is longer than \(Limits.maxLength) characters")
        }
        var parser = DiceParser(text)
        terms = try parser.parseExpression()
        let totalDice = terms.reduce(0) { total, signed in
            if case .dice(let count, _, _) = signed.term { return total + count }
            return total
        }
        guard totalDice <= Limits.maxTotalDice else {
            throw DiceSyntaxError(position: nil, message: "rolls \(totalDice) dice; the limit is \(Limits.maxTotalDice)")
        }
    }

    /// Rolls every die and adds the terms up.
    func roll(using generator: inout some RandomNumberGenerator) -> DiceRoll {
        var parts: [DiceRoll.Part] = []
        var total = 0
        for signed in terms {
            let part: DiceRoll.Part
            switch signed.term {
            case .constant(let value):
                part = DiceRoll.Part(negative: signed.negative, rolls: [], kept: [], value: value, label: String(value))
            case .dice(let count, let sides, let keep):
                let rolls = (0..<count).map { _ in Int.random(in: 1...sides, using: &generator) }
                let kept: [Int]
                switch keep {
                case .highest(let k): kept = Array(rolls.sorted(by: >).prefix(k))
                case .lowest(let k): kept = Array(rolls.sorted().prefix(k))
                case nil: kept = rolls
                }
                part = DiceRoll.Part(negative: signed.negative, rolls: rolls, kept: kept, value: kept.reduce(0, +),
                                     label: "\(count)d\(sides)")
            }
            total += signed.negative ? -part.value : part.value
            parts.append(part)
        }
        return DiceRoll(parts: parts, total: total)
    }
}

/// A dice expression that could not be parsed, with the 1-based column of the problem.
struct DiceSyntaxError: Error, Equatable, CustomStringConvertible {
    let position: Int?
    let message: String

    var description: String {
        if let position { return "At character \(position): \(message)." }
        return "The expression \(message)."
    }
}
