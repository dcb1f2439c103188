/// A forward-only reader over JSON bytes that extracts a few fields without decoding the rest.
///
/// Routing needs a handful of fields from payloads of several kilobytes; building a full
/// document for each would dominate ingest. The scanner checks structure as it skips values
/// (balanced brackets, terminated strings) and throws ``JSONScanError`` on malformed input.
public struct JSONScanner {
    private let bytes: UnsafeRawBufferPointer
    public private(set) var offset: Int

    /// - Parameters:
    ///   - bytes: The JSON text; it must outlive the scanner.
    ///   - offset: Where to start reading.
    public init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// Reads the members of an object, calling `member` with each key; `member` must consume
    /// the value (read it or call ``skipValue()``).
    public mutating func readObject(_ member: (inout JSONScanner, JSONKey) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            offset += 1
            return
        }
        while true {
            skipWhitespace()
            let key = try readKey()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            try member(&self, key)
            skipWhitespace()
            guard let next = peek else { throw error("unterminated object") }
            offset += 1
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { throw error("expected ',' or '}' in object") }
        }
    }

    /// Reads the elements of an array, calling `element` with each index; `element` must
    /// consume the value.
    public mutating func readArray(_ element: (inout JSONScanner, Int) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            offset += 1
            return
        }
        var index = 0
        while true {
            skipWhitespace()
            try element(&self, index)
            index += 1
            skipWhitespace()
            guard let next = peek else { throw error("unterminated array") }
            offset += 1
            if next == UInt8(ascii: "]") { return }
            guard next == UInt8(ascii: ",") else { throw error("expected ',' or ']' in array") }
        }
    }

    /// Reads a string value, decoding escapes.
    public mutating func readString() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = offset
        var hasEscapes = false
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
                offset += 1
                return hasEscapes ? try Self.unescape(raw) : String(decoding: raw, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                offset += 1
            }
            offset += 1
        }
        throw error("unterminated string")
    }

    /// Reads an object key in place; only a key with escapes is decoded.
    private mutating func readKey() throws -> JSONKey {
        let start = offset + 1
        try skipValue()
        guard offset - start >= 1, bytes[start - 1] == UInt8(ascii: "\""), bytes[offset - 1] == UInt8(ascii: "\"") else {
            throw error("expected a string key")
        }
        let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<offset - 1])
        let escaped = raw.contains(UInt8(ascii: "\\"))
        return JSONKey(bytes: raw, decoded: escaped ? try Self.unescape(raw) : nil)
    }

    /// Reads a snowflake, which Discord sends as a string (or, in old payloads, a number).
    public mutating func readSnowflake() throws -> UInt64? {
        if peek == UInt8(ascii: "\"") {
            return UInt64(try readString())
        }
        return try readInteger().flatMap { $0 >= 0 ? UInt64($0) : nil }
    }

    /// Reads an integer, or returns `nil` (consuming the value) when it is another kind of value.
    public mutating func readInteger() throws -> Int64? {
        let range = try skipValue()
        let raw = UnsafeRawBufferPointer(rebasing: bytes[range])
        return Int64(String(decoding: raw, as: UTF8.self))
    }

    /// Reads `true` or `false`, or returns `nil` (consuming the value) for anything else.
    public mutating func readBool() throws -> Bool? {
        let range = try skipValue()
        switch range.count {
        case 4 where bytes[range.lowerBound] == UInt8(ascii: "t"): return true
        case 5 where bytes[range.lowerBound] == UInt8(ascii: "f"): return false
        default: return nil
        }
    }

    /// Reads a number, or returns `nil` (consuming the value) when it is another kind of value.
    public mutating func readDouble() throws -> Double? {
        let range = try skipValue()
        guard nextKind(at: range.lowerBound) == .number else { return nil }
        return Double(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self))
    }

    /// Reads an array of snowflakes (role ids, say); `null` reads as empty, and an element that
    /// is no snowflake is left out.
    public mutating func readSnowflakes() throws -> [UInt64] {
        if try skipNull() { return [] }
        var ids: [UInt64] = []
        try readArray { scanner, _ in
            if let id = try scanner.readSnowflake() { ids.append(id) }
        }
        return ids
    }

    /// Reads an array of strings; any other element throws.
    public mutating func readStrings() throws -> [String] {
        var strings: [String] = []
        try readArray { scanner, _ in strings.append(try scanner.readString()) }
        return strings
    }

    /// What the next value is, without consuming it; `nil` at the end of the input.
    public mutating func peekKind() -> JSONValueKind? {
        skipWhitespace()
        return nextKind(at: offset)
    }

    private func nextKind(at position: Int) -> JSONValueKind? {
        guard position < bytes.count else { return nil }
        switch bytes[position] {
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: return .number
        }
    }

    /// Checks that only whitespace is left.
    public mutating func expectEnd() throws {
        skipWhitespace()
        guard offset == bytes.count else { throw error("unexpected bytes after the document") }
    }

    /// Consumes the next value if it is `null`; returns whether it did.
    public mutating func skipNull() throws -> Bool {
        guard peek == UInt8(ascii: "n") else { return false }
        try skipValue()
        return true
    }

    /// Skips one value of any kind and returns the byte range it occupied.
    @discardableResult
    public mutating func skipValue() throws -> Range<Int> {
        skipWhitespace()
        let start = offset
        guard let first = peek else { throw error("expected a value") }
        switch first {
        case UInt8(ascii: "\""):
            _ = try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipContainer()
        default:
            while let byte = peek, !Self.isDelimiter(byte) { offset += 1 }
            guard offset > start else { throw error("unexpected character") }
        }
        return start..<offset
    }

    /// Skips a string without decoding it.
    private mutating func skipString() throws {
        offset += 1
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                offset += 1
                return
            }
            offset += byte == UInt8(ascii: "\\") ? 2 : 1
        }
        throw error("unterminated string")
    }

    /// Skips a balanced object or array, honouring strings.
    private mutating func skipContainer() throws {
        var depth = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                try skipString()
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    offset += 1
                    return
                }
            default:
                break
            }
            offset += 1
        }
        throw error("unterminated object or array")
    }

    public mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    private var peek: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private mutating func expect(_ byte: UInt8) throws {
        guard peek == byte else { throw error("expected '\(Character(Unicode.Scalar(byte)))'") }
        offset += 1
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09: true
        default: false
        }
    }

    private func error(_ message: String) -> JSONScanError {
        JSONScanError(offset: offset, message: message)
    }

    private static func unescape(_ raw: UnsafeRawBufferPointer) throws -> String {
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        var index = 0
        var pendingHighSurrogate: UInt32?
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < raw.count else {
                output.append(byte)
                index += 1
                continue
            }
            let code = raw[index + 1]
            index += 2
            switch code {
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "u"):
                guard index + 4 <= raw.count,
                      let unit = UInt32(String(decoding: UnsafeRawBufferPointer(rebasing: raw[index..<index + 4]),
                                               as: UTF8.self), radix: 16) else {
                    throw JSONScanError(offset: index, message: "bad \\u escape")
                }
                index += 4
                var scalarValue = unit
                if (0xD800...0xDBFF).contains(unit) {
                    pendingHighSurrogate = unit
                    continue
                }
                if (0xDC00...0xDFFF).contains(unit), let high = pendingHighSurrogate {
                    scalarValue = 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00)
                }
                pendingHighSurrogate = nil
                output.append(contentsOf: Array(String(Unicode.Scalar(scalarValue) ?? "\u{FFFD}").utf8))
            default:
                output.append(code)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

extension JSONScanner {
    /// Scans one whole document: `body` reads its value, and nothing but whitespace may follow.
    ///
    /// ```swift
    /// let kind = try JSONScanner.scan(bytes) { scanner in try scanner.readString() }
    /// ```
    public static func scan<Result>(_ bytes: [UInt8], _ body: (inout JSONScanner) throws -> Result) throws -> Result {
        try bytes.withUnsafeBytes { raw in
            var scanner = JSONScanner(raw)
            scanner.skipWhitespace()
            let result = try body(&scanner)
            try scanner.expectEnd()
            return result
        }
    }
}

/// The kinds of JSON value, as ``JSONScanner/peekKind()`` sees them.
public enum JSONValueKind: Sendable {
    case string, number, object, array, bool, null
}

/// Malformed JSON, with the byte offset where reading stopped.
public struct JSONScanError: Error, Sendable, CustomStringConvertible {
    public let offset: Int
    public let message: String

    public var description: String { "malformed JSON at byte \(offset): \(message)" }
}
