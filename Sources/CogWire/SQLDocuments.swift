/// A value bound to, or read from, a cog's SQL statement on the wire: JSON null, an integer, a
/// real, a string or `{"blob": "<base64>"}`. Booleans are read as 0 and 1.
public enum SQLWireValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .integer(let value): writer.integer(value)
        case .real(let value): value.isFinite ? writer.number(value) : writer.null()
        case .text(let value): writer.string(value)
        case .blob(let bytes): writer.object { $0.field("blob", Base64.encode(bytes)) }
        }
    }

    static func read(from scanner: inout JSONScanner, field: String) throws -> SQLWireValue {
        switch scanner.peekKind() {
        case .null:
            _ = try scanner.skipNull()
            return .null
        case .bool:
            return .integer(try scanner.readBool() == true ? 1 : 0)
        case .string:
            return .text(try scanner.readString())
        case .number:
            var copy = scanner
            if let integer = try copy.readInteger() {
                scanner = copy
                return .integer(integer)
            }
            guard let real = try scanner.readDouble() else { throw notAValue(field) }
            return .real(real)
        case .object:
            var blob: [UInt8]?
            try scanner.readObject { scanner, key in
                if key == "blob", let text = try scanner.readOptionalString() { blob = Base64.decode(text) } else { try scanner.skipValue() }
            }
            guard let blob else { throw notAValue(field) }
            return .blob(blob)
        case .array, nil:
            throw notAValue(field)
        }
    }

    private static func notAValue(_ field: String) -> WireError {
        WireError(field: field, problem: "is not null, a boolean, a number, a string or {\"blob\": \"<base64>\"}")
    }
}

/// One statement and its parameters.
public struct SQLStatementDocument: Sendable, Equatable {
    public var sql: String
    public var params: [SQLWireValue]

    public init(_ sql: String, _ params: [SQLWireValue] = []) {
        self.sql = sql
        self.params = params
    }

    func write(to object: inout JSONWriter) {
        object.field("sql", sql)
        object.key("params")
        object.array(params) { $1.write(to: &$0) }
    }
}

/// What a cog sends through `cog_host_api.sql`: one statement, or a batch run in one transaction.
///
/// ```swift
/// SQLRequestDocument.single(SQLStatementDocument("SELECT xp FROM xp__members WHERE user_id = ?", [.integer(42)]))
///     .encoded()   // {"sql":"SELECT xp FROM xp__members WHERE user_id = ?","params":[42]}
/// ```
public enum SQLRequestDocument: WireDocument {
    case single(SQLStatementDocument)
    case batch([SQLStatementDocument])

    public func encoded() -> [UInt8] {
        var writer = JSONWriter()
        writer.object { object in
            switch self {
            case .single(let statement):
                statement.write(to: &object)
            case .batch(let statements):
                object.key("batch")
                object.array(statements) { array, statement in array.object { statement.write(to: &$0) } }
            }
        }
        return writer.bytes
    }

    public init(scanning bytes: [UInt8]) throws(WireError) {
        var sql: String?
        var params: [SQLWireValue] = []
        var batch: [SQLStatementDocument]?
        try JSONScanner.document("SQL request", bytes) { scanner in
            guard scanner.peekKind() == .object else { throw WireError(field: "SQL request", problem: "must be a JSON object") }
            try scanner.readObject { scanner, key in
                switch key {
                case "sql": sql = try Self.readSQL(&scanner, field: "sql")
                case "params": params = try Self.readParams(&scanner, field: "params")
                case "batch":
                    var statements: [SQLStatementDocument] = []
                    try scanner.readArray { scanner, index in
                        var itemSQL: String?
                        var itemParams: [SQLWireValue] = []
                        try scanner.readObject { scanner, key in
                            switch key {
                            case "sql": itemSQL = try Self.readSQL(&scanner, field: "batch[\(index)].sql")
                            case "params": itemParams = try Self.readParams(&scanner, field: "batch[\(index)].params")
                            default: try scanner.skipValue()
                            }
                        }
                        guard let itemSQL else { throw WireError(field: "batch[\(index)].sql", problem: "is missing") }
                        statements.append(SQLStatementDocument(itemSQL, itemParams))
                    }
                    batch = statements
                default: try scanner.skipValue()
                }
            }
        }
        switch (sql, batch) {
        case (let sql?, nil): self = .single(SQLStatementDocument(sql, params))
        case (nil, let batch?): self = .batch(batch)
        default: throw WireError(field: "SQL request", problem: "gives either \"sql\" (with \"params\") or \"batch\", not both or neither")
        }
    }

    private static func readSQL(_ scanner: inout JSONScanner, field: String) throws -> String {
        guard scanner.peekKind() == .string else { throw WireError(field: field, problem: "must be a string") }
        return try scanner.readString()
    }

    private static func readParams(_ scanner: inout JSONScanner, field: String) throws -> [SQLWireValue] {
        guard scanner.peekKind() == .array else { throw WireError(field: field, problem: "must be an array") }
        var params: [SQLWireValue] = []
        try scanner.readArray { scanner, index in params.append(try SQLWireValue.read(from: &scanner, field: "\(field)[\(index)]")) }
        return params
    }
}

/// What one statement did: its rows (by column), the changes and the last inserted rowid.
public struct SQLResultDocument: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[SQLWireValue]]
    public var changes: Int64
    public var lastInsertRowID: Int64

    public init(columns: [String], rows: [[SQLWireValue]], changes: Int64, lastInsertRowID: Int64) {
        self.columns = columns
        self.rows = rows
        self.changes = changes
        self.lastInsertRowID = lastInsertRowID
    }

    func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.key("columns")
            object.array(columns) { $0.string($1) }
            object.key("rows")
            object.array(rows) { writer, row in writer.array(row) { $1.write(to: &$0) } }
            object.field("changes", changes)
            object.field("last_insert_rowid", lastInsertRowID)
        }
    }

    static func read(from scanner: inout JSONScanner, field: String) throws -> SQLResultDocument {
        var result = SQLResultDocument(columns: [], rows: [], changes: 0, lastInsertRowID: 0)
        try scanner.readObject { scanner, key in
            switch key {
            case "columns": result.columns = try scanner.readStrings()
            case "rows":
                try scanner.readArray { scanner, rowIndex in
                    var row: [SQLWireValue] = []
                    try scanner.readArray { scanner, column in
                        row.append(try SQLWireValue.read(from: &scanner, field: "\(field).rows[\(rowIndex)][\(column)]"))
                    }
                    result.rows.append(row)
                }
            case "changes": result.changes = try scanner.readInteger() ?? 0
            case "last_insert_rowid": result.lastInsertRowID = try scanner.readInteger() ?? 0
            default: try scanner.skipValue()
            }
        }
        return result
    }
}

/// The host's answer to an SQL request: one result, or one per statement of a batch.
public enum SQLAnswerDocument: WireDocument {
    case single(SQLResultDocument)
    case batch([SQLResultDocument])

    public func encoded() -> [UInt8] {
        var writer = JSONWriter()
        switch self {
        case .single(let result):
            result.write(to: &writer)
        case .batch(let results):
            writer.object { object in
                object.key("results")
                object.array(results) { $1.write(to: &$0) }
            }
        }
        return writer.bytes
    }

    public init(scanning bytes: [UInt8]) throws(WireError) {
        self = try JSONScanner.document("SQL answer", bytes) { scanner in
            // A batch's answer is the only one with "results"; look ahead on a copy.
            var probe = scanner
            var isBatch = false
            try probe.readObject { scanner, key in
                if key == "results" { isBatch = true }
                try scanner.skipValue()
            }
            guard isBatch else { return .single(try SQLResultDocument.read(from: &scanner, field: "SQL answer")) }
            var results: [SQLResultDocument] = []
            try scanner.readObject { scanner, key in
                guard key == "results" else {
                    try scanner.skipValue()
                    return
                }
                try scanner.readArray { scanner, index in
                    results.append(try SQLResultDocument.read(from: &scanner, field: "results[\(index)]"))
                }
            }
            return .batch(results)
        }
    }
}
