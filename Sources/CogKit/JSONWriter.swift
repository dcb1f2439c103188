/// A minimal JSON writer for response documents and the manifest.
///
/// Responses are written on every command, so CogKit writes them directly instead of going
/// through `JSONEncoder` and its reflection.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    init() {
        bytes.reserveCapacity(256)
    }

    mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func array<Element>(_ elements: [Element], _ body: (inout JSONWriter, Element) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for element in elements { body(&self, element) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    mutating func key(_ key: String) {
        separate()
        appendString(key)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func field(_ key: String, _ value: String) {
        self.key(key)
        string(value)
    }

    mutating func field(_ key: String, _ value: Int) {
        self.key(key)
        integer(value)
    }

    mutating func field(_ key: String, _ value: Double) {
        self.key(key)
        number(value)
    }

    mutating func field(_ key: String, _ value: Bool) {
        self.key(key)
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        needsComma = true
    }

    mutating func string(_ value: String) {
        separate()
        appendString(value)
        needsComma = true
    }

    mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    mutating func integer(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    mutating func number(_ value: Double) {
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
