import Foundation

/// A `multipart/form-data` upload as Discord reads one: the `payload_json` part is the message,
/// and each `files[n]` part a file with its `filename`.
struct SimulatedMultipart {
    var payload: [UInt8] = []
    var files: [(name: String, size: Int)] = []

    /// `nil` when the body is not a well-formed form with a `payload_json` part.
    init?(_ body: [UInt8], contentType: String) {
        guard let boundaryRange = contentType.range(of: "boundary=") else { return nil }
        let boundary = Array(("--" + contentType[boundaryRange.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: "\""))).utf8)
        var found = false
        for slice in Self.parts(of: body, boundary: boundary) {
            let part = Array(slice)
            guard let headerEnd = Self.find(Array("\r\n\r\n".utf8), in: part, from: 0) else { return nil }
            let headers = String(decoding: part[..<headerEnd], as: UTF8.self)
            let content = Array(part[(headerEnd + 4)...])
            if headers.contains("name=\"payload_json\"") {
                payload = content
                found = true
            } else if let name = Self.parameter("filename", in: headers) {
                files.append((name, content.count))
            }
        }
        guard found else { return nil }
    }

    /// The parts between the boundaries, without their trailing CRLF.
    private static func parts(of body: [UInt8], boundary: [UInt8]) -> [ArraySlice<UInt8>] {
        var parts: [ArraySlice<UInt8>] = []
        guard var start = find(boundary, in: body, from: 0) else { return [] }
        while true {
            let contentStart = start + boundary.count + 2
            guard contentStart <= body.count, let next = find(boundary, in: body, from: contentStart) else { break }
            parts.append(body[contentStart..<max(contentStart, next - 2)])
            start = next
        }
        return parts
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from offset: Int) -> Int? {
        guard needle.count <= bytes.count else { return nil }
        var index = offset
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], Array(bytes[index..<index + needle.count]) == needle { return index }
            index += 1
        }
        return nil
    }

    private static func parameter(_ name: String, in headers: String) -> String? {
        guard let range = headers.range(of: "\(name)=\"") else { return nil }
        let rest = headers[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
