@testable import dice
import Testing

/// SplitMix64: a seeded generator, so rolls are repeatable.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

@Suite("The dice cog's expression parser")
struct DiceExpressionTests {
    @Test("valid expressions parse into terms", arguments: [
        ("2d6+3", [DiceExpression.SignedTerm(negative: false, term: .dice(count: 2, sides: 6, keep: nil)),
                   .init(negative: false, term: .constant(3))]),
        ("d20 - 1", [.init(negative: false, term: .dice(count: 1, sides: 20, keep: nil)), .init(negative: true, term: .constant(1))]),
        ("4d6kh3", [.init(negative: false, term: .dice(count: 4, sides: 6, keep: .highest(3)))]),
        ("2D%", [.init(negative: false, term: .dice(count: 2, sides: 100, keep: nil))]),
    ])
    func parses(text: String, terms: [DiceExpression.SignedTerm]) throws {
        #expect(try DiceExpression(parsing: text).terms == terms)
    }

    @Test("bad expressions are refused with the position of the problem", arguments: [
        ("", "At character 1: expected dice like 2d6 or a number, found nothing."),
        ("2d6+banana", "At character 5: expected dice like 2d6 or a number, found 'b'."),
        ("2d", "At character 3: expected the number of sides after 'd'."),
        ("2d1", "At character 3: a die needs at least 2 sides."),
        ("101d6", "At character 1: at most 100 dice per term."),
        ("2d1001", "At character 3: numbers here can be at most 1000."),
        ("4d6kh5", "At character 4: can keep between 1 and 4 dice."),
        ("2d6 3", "At character 5: expected + or -, found '3'."),
        ("100d6+100d6+1d6", "The expression rolls 201 dice; the limit is 200."),
    ])
    func refuses(text: String, message: String) {
        #expect {
            try DiceExpression(parsing: text)
        } throws: { error in
            (error as? DiceSyntaxError)?.description == message
        }
    }

    @Test("rolling adds the kept dice and constants")
    func rolls() throws {
        var generator = SeededGenerator(state: 7)
        let roll = try DiceExpression(parsing: "4d6kh3-2").roll(using: &generator)
        #expect(roll.total == roll.parts[0].kept.reduce(0, +) - 2)
        #expect(roll.parts[0].rolls.allSatisfy { (1...6).contains($0) })
        #expect(roll.parts[0].kept == Array(roll.parts[0].rolls.sorted(by: >).prefix(3)))
        #expect(roll.parts[0].rolls.count == 4 && roll.parts[0].kept.count == 3)
        #expect(roll.summary.hasSuffix("= **\(roll.total)**"))
    }
}
