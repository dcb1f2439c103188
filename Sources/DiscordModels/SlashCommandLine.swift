import Foundation

/// A slash command typed as text ("/roll 2d6+3", "/echo text:hi times:2"), checked against
/// the command definitions the way Discord's client would.
public struct SlashCommandLine: Sendable, Equatable {
    /// One filled-in option.
    public struct Value: Sendable, Equatable {
        public var name: String
        public var type: Int
        /// The text the user typed.
        public var raw: String

        /// The value as Discord sends it: numbers and booleans typed, the rest strings.
        public var jsonValue: any Sendable {
            switch type {
            case 4: Int(raw) ?? 0
            case 10: Double(raw) ?? 0
            case 5: raw == "true" || raw == "yes"
            default: raw
            }
        }

        public static func == (lhs: Value, rhs: Value) -> Bool {
            lhs.name == rhs.name && lhs.type == rhs.type && lhs.raw == rhs.raw
        }
    }

    /// A subcommand or group on the way to the leaf.
    public struct Level: Sendable, Equatable {
        public var name: String
        public var type: Int
    }

    public var command: String
    public var subcommandPath: [Level]
    public var options: [Value]

    /// Parses `line` against `definitions`.
    public static func parse(_ line: String, definitions: [ApplicationCommand]) throws(CommandLineError) -> SlashCommandLine {
        var words = line.trimmingCharacters(in: .whitespaces).split(separator: " ", omittingEmptySubsequences: true)
            .map(String.init)
        guard let first = words.first, first.hasPrefix("/") else { throw .notACommand(line) }
        words.removeFirst()
        let name = String(first.dropFirst())
        guard let definition = definitions.first(where: { $0.name == name }) else { throw .unknownCommand(name) }

        var options = definition.options ?? []
        var path: [Level] = []
        while let next = words.first, let nested = options.first(where: { ($0.isSubcommand || $0.isSubcommandGroup) && $0.name == next }) {
            words.removeFirst()
            path.append(Level(name: nested.name, type: nested.type))
            options = nested.options ?? []
        }
        if options.contains(where: { $0.isSubcommand || $0.isSubcommandGroup }) {
            throw .missingSubcommand(name, options.map(\.name))
        }

        var values: [Value] = []
        var positional = options.makeIterator()
        var index = 0
        while index < words.count {
            let word = words[index]
            if let colon = word.firstIndex(of: ":"), let option = options.first(where: { $0.name == String(word[..<colon]) }) {
                var raw = String(word[word.index(after: colon)...])
                // A named text option takes the words after it up to the next named option, as Discord's field does.
                while option.type == 3, index + 1 < words.count, !Self.names(words[index + 1], in: options) {
                    index += 1
                    raw += " " + words[index]
                }
                values.append(Value(name: option.name, type: option.type, raw: raw))
            } else {
                guard let option = nextUnfilled(&positional, filled: values) else { throw .tooManyValues(word) }
                // The last string option takes the rest of the line, so "/say hello world" works.
                let isLastString = option.type == 3 && !options.contains { later in
                    later.name != option.name && !values.contains { $0.name == later.name } && (later.required ?? false)
                }
                let raw = isLastString ? words[index...].joined(separator: " ") : word
                values.append(Value(name: option.name, type: option.type, raw: raw))
                if isLastString { break }
            }
            index += 1
        }
        for option in options where (option.required ?? false) && !values.contains(where: { $0.name == option.name }) {
            throw .missingOption(option.name)
        }
        return SlashCommandLine(command: name, subcommandPath: path, options: values)
    }

    /// Whether `word` starts with `name:` of one of `options`.
    private static func names(_ word: String, in options: [ApplicationCommandOption]) -> Bool {
        guard let colon = word.firstIndex(of: ":") else { return false }
        return options.contains { $0.name == String(word[..<colon]) }
    }

    private static func nextUnfilled(
        _ iterator: inout IndexingIterator<[ApplicationCommandOption]>, filled: [Value]
    ) -> ApplicationCommandOption? {
        while let option = iterator.next() {
            if !filled.contains(where: { $0.name == option.name }) { return option }
        }
        return nil
    }
}

/// A typed command line that does not match the command definitions.
public enum CommandLineError: Error, Sendable, Equatable, CustomStringConvertible {
    case notACommand(String)
    case unknownCommand(String)
    case missingSubcommand(String, [String])
    case missingOption(String)
    case tooManyValues(String)

    public var description: String {
        switch self {
        case .notACommand(let line): "'\(line)' is not a command; start with /, e.g. /roll 2d6"
        case .unknownCommand(let name): "there is no /\(name) command"
        case .missingSubcommand(let name, let choices): "/\(name) needs one of: \(choices.joined(separator: ", "))"
        case .missingOption(let name): "the option '\(name)' is required"
        case .tooManyValues(let word): "'\(word)' does not fit any option"
        }
    }
}
