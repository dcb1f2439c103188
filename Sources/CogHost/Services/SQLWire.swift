import CogWire
import Storage

/// The cog's SQL documents (CogWire) in the database's terms (Storage), both ways.
enum SQLWire {
    /// The statements of a request; the error says what is wrong with it.
    static func statements(_ bytes: [UInt8]) throws(StorageError) -> SQLRequestDocument {
        do {
            return try SQLRequestDocument(scanning: bytes)
        } catch {
            throw StorageError(code: -1, message: "the request is not of the documented shape: \(error)", context: "reading an SQL request")
        }
    }

    static func statement(_ document: SQLStatementDocument) -> SQLStatement {
        SQLStatement(document.sql, document.params.map(value))
    }

    static func answer(_ result: SQLResult) -> SQLResultDocument {
        SQLResultDocument(
            columns: result.rows.first?.columns ?? [],
            rows: result.rows.map { $0.values.map(value) },
            changes: Int64(result.changes),
            lastInsertRowID: result.lastInsertRowID
        )
    }

    private static func value(_ wire: SQLWireValue) -> SQLiteValue {
        switch wire {
        case .null: .null
        case .integer(let value): .integer(value)
        case .real(let value): .real(value)
        case .text(let value): .text(value)
        case .blob(let bytes): .blob(bytes)
        }
    }

    private static func value(_ stored: SQLiteValue) -> SQLWireValue {
        switch stored {
        case .null: .null
        case .integer(let value): .integer(value)
        case .real(let value): .real(value)
        case .text(let value): .text(value)
        case .blob(let bytes): .blob(bytes)
        }
    }
}
