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
        Migration(version: 2, "cog key-value store", [
            """
            CREATE TABLE host_cog_kv (
                cog TEXT NOT NULL, scope INTEGER NOT NULL, first_id INTEGER NOT NULL, second_id INTEGER NOT NULL,
                key TEXT NOT NULL, value BLOB NOT NULL,
                PRIMARY KEY (cog, scope, first_id, second_id, key)
            ) WITHOUT ROWID, STRICT
            """,
        ]),
        Migration(version: 3, "admin audit log", [
            """
            CREATE TABLE host_audit (
                id INTEGER PRIMARY KEY, at REAL NOT NULL, user_id INTEGER NOT NULL, action TEXT NOT NULL, target TEXT,
                result TEXT NOT NULL, detail TEXT NOT NULL, duration_ms REAL NOT NULL
            ) STRICT
            """,
        ]),
        Migration(version: 4, "cogs and commands turned off per guild", [
            """
            CREATE TABLE host_guild_disabled (
                guild_id INTEGER NOT NULL, target TEXT NOT NULL, disabled_by INTEGER NOT NULL, disabled_at REAL NOT NULL,
                PRIMARY KEY (guild_id, target)
            ) WITHOUT ROWID, STRICT
            """,
        ]),
    ]
}
