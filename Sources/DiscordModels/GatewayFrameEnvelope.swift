import CogWire

/// The envelope of a gateway frame (`op`, `s`, `t`) and where its `d` payload lies, read
/// without decoding the payload.
public struct GatewayFrameEnvelope: Sendable, Equatable {
    public var opcode: Int = -1
    public var sequence: Int64?
    public var eventName: GatewayEventName?
    /// Byte range of the `d` value within the frame, if present and not null.
    public var payloadRange: Range<Int>?

    public init() {}

    /// - Throws: ``JSONScanError`` for malformed JSON, ``InteractionFactsError`` without `op`.
    public init(frame bytes: UnsafeRawBufferPointer) throws {
        var scanner = JSONScanner(bytes)
        scanner.skipWhitespace()
        var envelope = GatewayFrameEnvelope()
        try scanner.readObject { scanner, key in
            switch key {
            case "op": envelope.opcode = Int(try scanner.readInteger() ?? -1)
            case "s": envelope.sequence = try scanner.readInteger()
            case "t": envelope.eventName = try scanner.skipNull() ? nil : GatewayEventName(try scanner.readString())
            case "d": envelope.payloadRange = try scanner.skipNull() ? nil : try scanner.skipValue()
            default: try scanner.skipValue()
            }
        }
        guard envelope.opcode >= 0 else { throw InteractionFactsError.missing("op") }
        self = envelope
    }
}
