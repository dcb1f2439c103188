import AsyncHTTPClient
import Foundation
import NIOCore

/// GETs from the operations server.
public struct OperationsClient: Sendable {
    public let port: Int
    let client = HTTPClient(eventLoopGroupProvider: .singleton)

    public init(port: Int) {
        self.port = port
    }

    public struct Answer: Sendable {
        public var status: Int
        public var contentType: String?
        public var text: String
        public var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        }
    }

    /// - Parameter bearer: A token for `Authorization: Bearer`, or `nil` for no header.
    public func get(_ path: String, bearer: String? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 16 << 20)
        return Answer(status: Int(response.status.code), contentType: response.headers.first(name: "content-type"),
                      text: String(buffer: body))
    }

    /// `/ready` once it answers 200, or its last answer after 10 s.
    public func waitForReady() async throws -> Answer {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let answer = try await get("/ready")
            if answer.status == 200 || ContinuousClock.now > deadline { return answer }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    public func shutdown() async throws {
        try await client.shutdown()
    }
}

