import CogWire
import Foundation
import Testing

/// Every JSON example in docs/cog-abi.md is a document of the vocabulary: it reads, and writing
/// it back gives the same bytes (whitespace aside), so the prose cannot drift from the code.
@Suite("docs/cog-abi.md examples")
struct DocumentedExamplesTests {
    /// One fenced block: ```json <DocumentType>.
    struct Example: CustomStringConvertible {
        let type: String
        let json: String
        let line: Int
        var description: String { "\(type) at docs/cog-abi.md:\(line)" }
    }

    static let readers: [String: @Sendable ([UInt8]) throws -> [UInt8]] = [
        "ManifestDocument": { try ManifestDocument(scanning: $0).encoded() },
        "ResponseDocument": { try ResponseDocument(scanning: $0).encoded() },
        "ServiceRequest": { try ServiceRequest(scanning: $0).encoded() },
        "SentMessageAnswer": { try SentMessageAnswer(scanning: $0).encoded() },
        "ScheduledRunAnswer": { try ScheduledRunAnswer(scanning: $0).encoded() },
        "CancelledRunAnswer": { try CancelledRunAnswer(scanning: $0).encoded() },
        "GuildActivityAnswer": { try GuildActivityAnswer(scanning: $0).encoded() },
        "EmptyAnswer": { try EmptyAnswer(scanning: $0).encoded() },
        "SQLRequestDocument": { try SQLRequestDocument(scanning: $0).encoded() },
        "SQLAnswerDocument": { try SQLAnswerDocument(scanning: $0).encoded() },
        "JobRunDocument": { try JobRunDocument(scanning: $0).encoded() },
        "CachedGuildAnswer": { try CachedGuildAnswer(scanning: $0).encoded() },
        "CachedChannelDocument": { try CachedChannelDocument(scanning: $0).encoded() },
        "CachedMemberAnswer": { try CachedMemberAnswer(scanning: $0).encoded() },
        "RoleMembersAnswer": { try RoleMembersAnswer(scanning: $0).encoded() },
        "PermissionsAnswer": { try PermissionsAnswer(scanning: $0).encoded() },
        "CachedMessageAnswer": { try CachedMessageAnswer(scanning: $0).encoded() },
    ]

    static let examples: [Example] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/cog-abi.md")
        let lines = ((try? String(contentsOf: url, encoding: .utf8)) ?? "").components(separatedBy: "\n")
        var examples: [Example] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            guard line.hasPrefix("```json") else {
                index += 1
                continue
            }
            let type = line.dropFirst("```json".count).trimmingCharacters(in: .whitespaces)
            var body: [(Int, String)] = []
            index += 1
            while index < lines.count, !lines[index].hasPrefix("```") {
                body.append((index + 1, lines[index]))
                index += 1
            }
            index += 1
            // A block is one document, or one document per line.
            let whole = body.map(\.1).joined(separator: "\n")
            if (try? JSONSerialization.jsonObject(with: Data(whole.utf8))) != nil {
                examples.append(Example(type: type, json: whole, line: body.first?.0 ?? 0))
            } else {
                for (number, text) in body where !text.trimmingCharacters(in: .whitespaces).isEmpty {
                    examples.append(Example(type: type, json: text, line: number))
                }
            }
        }
        return examples
    }()

    /// Removes whitespace outside strings.
    static func compact(_ json: String) -> String {
        var out = ""
        var inString = false
        var escaped = false
        for character in json {
            if inString {
                out.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            } else if character == "\"" {
                inString = true
                out.append(character)
            } else if !character.isWhitespace {
                out.append(character)
            }
        }
        return out
    }

    @Test("the document has JSON examples of every kind of document")
    func coverage() {
        let typed = Set(Self.examples.map(\.type))
        #expect(typed == Set(Self.readers.keys), "documented: \(typed.sorted())")
    }

    @Test("each example reads and writes back byte for byte", arguments: examples)
    func roundTrip(_ example: Example) throws {
        let reader = try #require(Self.readers[example.type], "fence a JSON example with its document type: ```json ResponseDocument")
        let written = try reader(Array(example.json.utf8))
        // Discord objects inside a document pass through untouched, whitespace included.
        #expect(Self.compact(String(decoding: written, as: UTF8.self)) == Self.compact(example.json))
    }
}
