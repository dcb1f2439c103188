/// One document of the host–cog vocabulary (see docs/cog-abi.md): a typed value with exactly
/// one writer (``encoded()``) and one scanner (``init(scanning:)``). Only these bytes cross the
/// C boundary, so host and cog share the format, never a Swift type.
///
/// ```swift
/// let bytes = ResponseDocument.done.encoded()          // {"kind":"done"}
/// let back = try ResponseDocument(scanning: bytes)    // .done
/// ```
public protocol WireDocument: Sendable, Equatable {
    /// The document's JSON bytes.
    func encoded() -> [UInt8]
    /// Reads a document; the error names the field that is wrong.
    init(scanning bytes: [UInt8]) throws(WireError)
}

/// A document that does not have the documented shape, naming the field, e.g.
/// `discord.send_message: 'channel_id' must be a snowflake`.
public struct WireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field's path in the document (`jobs[0].cron`), or the document's name.
    public let field: String
    /// What is wrong with it.
    public let problem: String

    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String { "\(field) \(problem)" }
}

extension WireError {
    /// Wraps a scanner's complaint about malformed JSON.
    static func malformed(_ document: String, _ error: any Error) -> WireError {
        WireError(field: document, problem: "is not valid JSON (\(error))")
    }
}

extension JSONScanner {
    /// Scans a document, reporting malformed JSON and wrong shapes as a ``WireError``.
    static func document<Result>(
        _ name: String, _ bytes: [UInt8], _ body: (inout JSONScanner) throws -> Result
    ) throws(WireError) -> Result {
        do {
            return try scan(bytes, body)
        } catch let error as WireError {
            throw error
        } catch {
            throw .malformed(name, error)
        }
    }

    /// A snowflake sent as a string (Discord's way) or a number, or `nil` for anything else.
    mutating func readSnowflakeLeniently() throws -> UInt64? {
        switch peekKind() {
        case .string, .number:
            return try readSnowflake()
        default:
            try skipValue()
            return nil
        }
    }

    /// A string, or `nil` (consuming the value) when it is another kind of value: `null` for
    /// the optional text fields of Discord's payloads.
    public mutating func readOptionalString() throws -> String? {
        if peekKind() == .string { return try readString() }
        try skipValue()
        return nil
    }
}

extension JSONScanner {
    /// An integer for a declared field, or a ``WireError`` naming it.
    mutating func requireInteger(_ field: String) throws -> Int64 {
        guard peekKind() == .number, let value = try readInteger() else { throw WireError(field: field, problem: "must be an integer") }
        return value
    }

    /// A number for a declared field, or a ``WireError`` naming it.
    mutating func requireDouble(_ field: String) throws -> Double {
        guard let value = try readDouble() else { throw WireError(field: field, problem: "must be a number") }
        return value
    }

    /// A string for a declared field, or a ``WireError`` naming it.
    mutating func requireString(_ field: String) throws -> String {
        guard let value = try readOptionalString() else { throw WireError(field: field, problem: "must be a string") }
        return value
    }

    /// A boolean for a declared field, or a ``WireError`` naming it.
    mutating func requireBool(_ field: String) throws -> Bool {
        guard let value = try readBool() else { throw WireError(field: field, problem: "must be true or false") }
        return value
    }

    /// Strings for a declared field, or a ``WireError`` naming it.
    mutating func requireStrings(_ field: String) throws -> [String] {
        guard peekKind() == .array else { throw WireError(field: field, problem: "must be an array of strings") }
        var strings: [String] = []
        try readArray { scanner, index in strings.append(try scanner.requireString("\(field)[\(index)]")) }
        return strings
    }
}
