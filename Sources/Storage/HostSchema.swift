/// The host's own tables. Cogs never see them.
public enum HostSchema {
    public static let owner = "host"

    public static let migrations: [Migration] = [
        Migration(version: 1, "command sync state", [
            """
            CREATE TABLE host_command_sync (
                scope TEXT PRIMARY KEY, hash TEXT NOT NULL, commands TEXT NOT NULL, synced_at TEXT NOT NULL
            ) STRICT
            """,
        ]),
    ]
}
