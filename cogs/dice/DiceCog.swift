import CogKit

/// `/roll 2d6+3` and `/coin`: dice for tabletop games.
struct DiceCog: Cog {
    static let name = "dice"
    static let version = "1.0.0"

    static var commands: [Command<DiceCog>] {
        [
            Command(
                "roll", "Roll dice, e.g. 2d6+3, 4d6kh3 or d20-1",
                options: [
                    .string("dice", "What to roll, e.g. 2d6+3", required: true, minLength: 1,
                            maxLength: DiceExpression.Limits.maxLength, autocomplete: true),
                    .boolean("private", "Only you see the result"),
                ],
                cooldown: Cooldown(rate: 5, per: 10, scope: .user),
                autocomplete: { _, context in suggestions(for: context.focusedOption?.value ?? "") }
            ) { _, context in
                let text: String = try context.option("dice")
                let expression: DiceExpression
                do {
                    expression = try DiceExpression(parsing: text)
                } catch let error as DiceSyntaxError {
                    throw CommandError("I can't roll `\(text)`. \(error) Try something like `2d6+3`.")
                }
                var generator = SystemRandomNumberGenerator()
                let roll = expression.roll(using: &generator)
                return .message("🎲 \(context.user.displayName) rolled \(roll.summary)",
                                ephemeral: context.option("private", default: false))
            },
            Command("coin", "Flip a coin") { _, _ in
                .message(Bool.random() ? "🪙 Heads" : "🪙 Tails")
            },
        ]
    }

    init(setup: CogSetup) {}

    /// Common rolls starting with what the player typed; what they typed comes first when it
    /// already is a valid expression.
    static func suggestions(for typed: String) -> [Choice] {
        let common = ["1d20", "2d6", "1d100", "4d6kh3", "2d20kh1", "2d20kl1", "1d6", "3d6", "1d8", "1d12", "1d4"]
        var rolls = common.filter { $0.hasPrefix(typed.lowercased()) }
        if !typed.isEmpty, (try? DiceExpression(parsing: typed)) != nil, !rolls.contains(typed) { rolls.insert(typed, at: 0) }
        return rolls.map { Choice($0, $0) }
    }
}

@_cdecl("cog_entry")
public func cogEntry() -> UnsafeRawPointer { exportCog(DiceCog.self) }
