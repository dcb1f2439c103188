/// An object key as it appears in the JSON bytes, compared without building a `String`.
///
/// ```swift
/// try scanner.readObject { scanner, key in
///     switch key {
///     case "id": id = try scanner.readSnowflake()
///     default: try scanner.skipValue()
///     }
/// }
/// ```
public struct JSONKey: CustomStringConvertible {
    let bytes: UnsafeRawBufferPointer
    /// Keys with escapes are rare; they are compared after decoding.
    let decoded: String?

    /// Whether the key equals `literal`.
    public static func == (key: JSONKey, literal: StaticString) -> Bool {
        if let decoded = key.decoded { return decoded == literal.description }
        guard key.bytes.count == literal.utf8CodeUnitCount else { return false }
        return key.bytes.elementsEqual(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    public static func ~= (literal: StaticString, key: JSONKey) -> Bool {
        key == literal
    }

    public var description: String { decoded ?? String(decoding: bytes, as: UTF8.self) }
}
