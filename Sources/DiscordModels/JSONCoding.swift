import Foundation

/// Shared JSON coders for Discord payloads.
public enum JSONCoding {
    public static var decoder: JSONDecoder { JSONDecoder() }

    /// Encodes with sorted keys, so equal values give equal bytes (command sync hashes them).
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Encodes `value` to bytes.
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        Array(try encoder.encode(value))
    }

    /// Decodes `type` from bytes.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try decoder.decode(type, from: Data(bytes))
    }
}
