import Foundation

/// A `multipart/form-data` body as Discord takes uploads: the message as `payload_json`, then
/// each file as `files[n]` with its file name (docs: "Uploading Files").
struct MultipartForm {
    let boundary: String
    let body: [UInt8]

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    init(payload: [UInt8], files: [DiscordRequest.File]) {
        // A random boundary cannot occur in the parts by accident; 32 hex digits make it unlikely beyond any doubt.
        boundary = "cogwheel" + (0..<4).map { _ in String(UInt32.random(in: .min ... .max), radix: 16) }.joined()
        let boundary = boundary
        var bytes: [UInt8] = []
        func part(_ disposition: String, type: String, _ content: [UInt8]) {
            bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; \(disposition)\r\nContent-Type: \(type)\r\n\r\n".utf8)
            bytes += content
            bytes += Array("\r\n".utf8)
        }
        part("name=\"payload_json\"", type: "application/json", payload)
        for (index, file) in files.enumerated() {
            part("name=\"files[\(index)]\"; filename=\"\(Self.quoted(file.name))\"", type: "application/octet-stream", file.data)
        }
        bytes += Array("--\(boundary)--\r\n".utf8)
        body = bytes
    }

    /// A file name safe inside the quoted `filename` parameter.
    private static func quoted(_ name: String) -> String {
        String(name.map { $0 == "\"" || $0 == "\\" || $0.isNewline ? "_" : $0 })
    }
}
