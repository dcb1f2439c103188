import CogKit

/// The xp cog's tables, one migration per shipped change.
public enum XPSchema {
    /// Members' XP per guild, with the index `/leaderboard` and `/rank` read.
    public static let members = SchemaMigration(1, "members and their XP", sql: """
        CREATE TABLE xp__members (
            guild_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            xp INTEGER NOT NULL DEFAULT 0,
            checkins INTEGER NOT NULL DEFAULT 0,
            last_checkin_at INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (guild_id, user_id)
        ) STRICT;
        CREATE INDEX xp__members_by_xp ON xp__members (guild_id, xp DESC);
        """)

    /// Consecutive-day check-in streaks.
    public static let streaks = SchemaMigration(2, "check-in streaks", sql: """
        ALTER TABLE xp__members ADD COLUMN streak INTEGER NOT NULL DEFAULT 0
        """)

    /// XP per message (the last time a message earned some) and role rewards per level.
    public static let messagesAndRewards = SchemaMigration(3, "XP per message and level rewards", sql: """
        ALTER TABLE xp__members ADD COLUMN last_message_at INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE xp__rewards (
            guild_id INTEGER NOT NULL,
            level INTEGER NOT NULL,
            role_id INTEGER NOT NULL,
            PRIMARY KEY (guild_id, level)
        ) STRICT;
        """)

    /// Every migration of the shipping build.
    public static let all = [members, streaks, messagesAndRewards]
}
