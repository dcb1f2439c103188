import Foundation
import Storage

/// The JSON a cog sends through `cog_host_api.sql`, and the JSON it gets back (see cog_abi.h).
enum SQLRequestDocument {
    /// One statement, or a batch run in one transaction.
    enum Request: Equatable {
        case single(SQLStatement)
        case batch([SQLStatement])
    }

    private struct Wire: Decodable {
        let sql: String?
        let params: [Parameter]?
        let batch: [Item]?

        struct Item: Decodable {
            let sql: String
            let params: [Parameter]?
        }
    }

    private struct Parameter: Decodable {
        let value: SQLiteValue

        private struct Blob: Decodable { let blob: String }

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                value = .null
            } else if let flag = try? container.decode(Bool.self) {
                value = .integer(flag ? 1 : 0)
            } else if let integer = try? container.decode(Int64.self) {
                value = .integer(integer)
            } else if let real = try? container.decode(Double.self) {
                value = .real(real)
            } else if let text = try? container.decode(String.self) {
                value = .text(text)
            } else if let blob = try? container.decode(Blob.self), let bytes = Data(base64Encoded: blob.blob) {
                value = .blob(Array(bytes))
            } else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "a parameter is null, a boolean, a number, a string or {\"blob\": \"<base64>\"}")
            }
        }
    }

    /// Decodes a request; the error says what is wrong with it.
    static func decode(_ bytes: [UInt8]) throws(StorageError) -> Request {
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: Data(bytes))
        } catch {
            throw StorageError(code: -1, message: "the request is not valid JSON of the documented shape: \(error)",
                               context: "reading an SQL request")
        }
        switch (wire.sql, wire.batch) {
        case (let sql?, nil):
            return .single(SQLStatement(sql, wire.params?.map(\.value) ?? []))
        case (nil, let batch?):
            return .batch(batch.map { SQLStatement($0.sql, $0.params?.map(\.value) ?? []) })
        default:
            throw StorageError(code: -1, message: "give either \"sql\" (with \"params\") or \"batch\"", context: "reading an SQL request")
        }
    }

    /// Encodes one result: `{"columns": [...], "rows": [[...]], "changes": n, "last_insert_rowid": n}`.
    static func encode(_ result: SQLResult) -> String {
        let columns = (result.rows.first?.columns ?? []).map(quoted).joined(separator: ",")
        let rows = result.rows.map { row in "[" + row.values.map(encode).joined(separator: ",") + "]" }.joined(separator: ",")
        return #"{"columns":[\#(columns)],"rows":[\#(rows)],"changes":\#(result.changes),"last_insert_rowid":\#(result.lastInsertRowID)}"#
    }

    /// Encodes a batch's results: `{"results": [...]}`.
    static func encode(batch results: [SQLResult]) -> String {
        #"{"results":[\#(results.map { encode($0) }.joined(separator: ","))]}"#
    }

    private static func encode(_ value: SQLiteValue) -> String {
        switch value {
        case .null: "null"
        case .integer(let number): String(number)
        case .real(let number): number.isFinite ? "\(number)" : "null"
        case .text(let text): quoted(text)
        case .blob(let bytes): #"{"blob":"\#(Data(bytes).base64EncodedString())"}"#
        }
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
