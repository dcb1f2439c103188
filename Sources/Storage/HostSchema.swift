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
        Migration(version: 5, "services for cogs: scheduled jobs, messages cogs sent, guild activity", [
            """
            CREATE TABLE host_jobs (
                cog TEXT NOT NULL, job TEXT NOT NULL, state TEXT NOT NULL, schedule TEXT NOT NULL,
                next_run REAL, last_run REAL, last_outcome TEXT,
                PRIMARY KEY (cog, job, state)
            ) WITHOUT ROWID, STRICT
            """,
            """
            CREATE TABLE host_cog_messages (
                channel_id INTEGER NOT NULL, message_id INTEGER NOT NULL, cog TEXT NOT NULL, sent_at REAL NOT NULL,
                PRIMARY KEY (channel_id, message_id)
            ) WITHOUT ROWID, STRICT
            """,
            """
            CREATE TABLE host_activity (
                guild_id INTEGER NOT NULL, day TEXT NOT NULL, command TEXT NOT NULL, uses INTEGER NOT NULL,
                PRIMARY KEY (guild_id, day, command)
            ) WITHOUT ROWID, STRICT
            """,
            """
            CREATE TABLE host_activity_players (
                guild_id INTEGER NOT NULL, day TEXT NOT NULL, user_id INTEGER NOT NULL,
                PRIMARY KEY (guild_id, day, user_id)
            ) WITHOUT ROWID, STRICT
            """,
        ]),
        Migration(version: 6, "the guild of each audit entry", [
            "ALTER TABLE host_audit ADD COLUMN guild_id INTEGER",
            "CREATE INDEX host_audit_by_guild ON host_audit (guild_id, id)",
            "CREATE INDEX host_audit_by_time ON host_audit (at)",
        ]),
    ]
}
