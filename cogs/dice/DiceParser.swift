/// A hand-written recursive-descent parser for ``DiceExpression``.
struct DiceParser {
    private let characters: [Character]
    private var index = 0

    init(_ text: String) {
        characters = Array(text.lowercased())
    }

    mutating func parseExpression() throws -> [DiceExpression.SignedTerm] {
        skipSpaces()
        guard index < characters.count else {
            throw DiceSyntaxError(position: 1, message: "expected dice like 2d6 or a number, found nothing")
        }
        var terms: [DiceExpression.SignedTerm] = []
        var negative = false
        if peek == "-" || peek == "+" {
            negative = peek == "-"
            index += 1
        }
        while true {
            skipSpaces()
            terms.append(DiceExpression.SignedTerm(negative: negative, term: try parseTerm()))
            skipSpaces()
            guard let next = peek else { return terms }
            guard next == "+" || next == "-" else {
                throw error("expected + or -, found '\(next)'")
            }
            negative = next == "-"
            index += 1
            skipSpaces()
            guard peek != nil else { throw error("expected dice or a number after '\(next)'") }
        }
    }

    private mutating func parseTerm() throws -> DiceExpression.Term {
        let start = index
        let count = try parseNumber(limit: DiceExpression.Limits.maxConstant)
        guard peek == "d" else {
            guard let count else { throw error("expected dice like 2d6 or a number, found '\(peek.map(String.init) ?? "")'") }
            return .constant(count)
        }
        index += 1
        let diceCount = count ?? 1
        guard diceCount >= 1 else { throw error("roll at least one die", at: start) }
        guard diceCount <= DiceExpression.Limits.maxDicePerTerm else {
            throw error("at most \(DiceExpression.Limits.maxDicePerTerm) dice per term", at: start)
        }
        let sides: Int
        if peek == "%" {
            index += 1
            sides = 100
        } else {
            let sidesStart = index
            guard let parsed = try parseNumber(limit: DiceExpression.Limits.maxSides) else {
                throw error("expected the number of sides after 'd'")
            }
            guard parsed >= 2 else { throw error("a die needs at least 2 sides", at: sidesStart) }
            sides = parsed
        }
        return .dice(count: diceCount, sides: sides, keep: try parseKeep(diceCount: diceCount))
    }

    private mutating func parseKeep(diceCount: Int) throws -> DiceExpression.Keep? {
        guard peek == "k" else { return nil }
        let start = index
        index += 1
        let highest: Bool
        switch peek {
        case "h": highest = true
        case "l": highest = false
        default: throw error("expected 'kh' (keep highest) or 'kl' (keep lowest)")
        }
        index += 1
        guard let kept = try parseNumber(limit: DiceExpression.Limits.maxDicePerTerm) else {
            throw error("expected how many dice to keep")
        }
        guard kept >= 1, kept <= diceCount else {
            throw error("can keep between 1 and \(diceCount) dice", at: start)
        }
        return highest ? .highest(kept) : .lowest(kept)
    }

    private mutating func parseNumber(limit: Int) throws -> Int? {
        let start = index
        var value = 0
        while let character = peek, let digit = character.wholeNumberValue, character.isASCII {
            value = value * 10 + digit
            index += 1
            guard value <= limit else { throw error("numbers here can be at most \(limit)", at: start) }
        }
        return index == start ? nil : value
    }

    private var peek: Character? { index < characters.count ? characters[index] : nil }

    private mutating func skipSpaces() {
        while peek == " " { index += 1 }
    }

    private func error(_ message: String, at position: Int? = nil) -> DiceSyntaxError {
        DiceSyntaxError(position: (position ?? index) + 1, message: message)
    }
}
