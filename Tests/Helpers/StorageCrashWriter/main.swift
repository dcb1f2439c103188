import Foundation
import Storage

// Writes to a host database as fast as it can, printing each id once its transaction committed,
// until it is killed. StorageTests kill it with SIGKILL mid-write and check what survived.
//
// Usage: StorageCrashWriter DATABASE-FILE

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: StorageCrashWriter DATABASE-FILE\n".utf8))
    exit(64)
}
let database = try SQLiteDatabase(file: URL(fileURLWithPath: CommandLine.arguments[1]))
try SchemaMigrator(owner: HostSchema.owner, migrations: HostSchema.migrations).migrate(database)
try SchemaMigrator.forCog("stress", schemaVersion: 1, migrations: [
    Migration(version: 1, "rows", ["CREATE TABLE stress__rows (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)"]),
]).migrate(database)
let store = CogStore(cog: "stress", database: database)
var id: Int64 = 0
while true {
    id += 1
    _ = try store.runBatch([
        SQLStatement("INSERT INTO stress__rows (id, payload) VALUES (?, randomblob(3000))", [.integer(id)]),
        SQLStatement("UPDATE stress__rows SET payload = randomblob(100) WHERE id = ?", [.integer(id / 2)]),
    ])
    try store.setValue(Array(String(id).utf8), for: "last", at: .global)
    FileHandle.standardOutput.write(Data("\(id)\n".utf8))
}
