/// A minimal JSON writer: the one every host–cog document is written with.
///
/// Documents are written on every command, so they are written directly instead of going
/// through `JSONEncoder` and its reflection.
///
/// ```swift
/// var writer = JSONWriter()
/// writer.object { object in
///     object.field("kind", "message")
///     object.key("data")
///     object.raw(messageBytes)
/// }
/// send(writer.bytes)
/// ```
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init() {
        bytes.reserveCapacity(256)
    }

    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func array<Element>(_ elements: [Element], _ body: (inout JSONWriter, Element) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for element in elements { body(&self, element) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    public mutating func key(_ key: String) {
        separate()
        appendString(key)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func field(_ key: String, _ value: String) {
        self.key(key)
        string(value)
    }

    public mutating func field(_ key: String, _ value: Int) {
        self.key(key)
        integer(value)
    }

    public mutating func field(_ key: String, _ value: Double) {
        self.key(key)
        number(value)
    }

    public mutating func field(_ key: String, _ value: Bool) {
        self.key(key)
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        needsComma = true
    }

    public mutating func string(_ value: String) {
        separate()
        appendString(value)
        needsComma = true
    }

    /// Writes a snowflake the way Discord does: as a decimal string.
    public mutating func field(_ key: String, snowflake: UInt64) {
        self.key(key)
        string(String(snowflake))
    }

    public mutating func field(_ key: String, _ value: Int64) {
        self.key(key)
        integer(value)
    }

    /// Writes bytes that already hold one JSON value (a Discord object passed through untouched).
    public mutating func raw(_ json: some Collection<UInt8>) {
        separate()
        bytes.append(contentsOf: json)
        needsComma = true
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    public mutating func integer(_ value: Int) {
        integer(Int64(value))
    }

    public mutating func integer(_ value: Int64) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    public mutating func number(_ value: Double) {
        separate()
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            bytes.append(contentsOf: String(Int(value)).utf8)
        } else if value.isFinite {
            bytes.append(contentsOf: String(value).utf8)
        } else {
            bytes.append(contentsOf: "null".utf8)
        }
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = false
    }

    private mutating func appendString(_ value: String) {
        bytes.append(Self.quote)
        for byte in value.utf8 {
            switch byte {
            case Self.quote, Self.backslash:
                bytes.append(Self.backslash)
                bytes.append(byte)
            case 0x0A:
                appendEscape(UInt8(ascii: "n"))
            case 0x0D:
                appendEscape(UInt8(ascii: "r"))
            case 0x09:
                appendEscape(UInt8(ascii: "t"))
            case 0..<0x20:
                appendEscape(UInt8(ascii: "u"))
                let digits: [UInt8] = Array("00".utf8) + [Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0xF)]]
                bytes.append(contentsOf: digits)
            default:
                bytes.append(byte)
            }
        }
        bytes.append(Self.quote)
    }

    private mutating func appendEscape(_ code: UInt8) {
        bytes.append(Self.backslash)
        bytes.append(code)
    }

    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
