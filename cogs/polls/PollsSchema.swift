import CogKit

/// The polls cog's tables.
enum PollsSchema {
    static let polls = SchemaMigration(1, "polls and their votes", sql: """
        CREATE TABLE polls__polls (
            id INTEGER PRIMARY KEY,
            guild_id INTEGER NOT NULL,
            channel_id INTEGER NOT NULL,
            message_id INTEGER,
            author_id INTEGER NOT NULL,
            question TEXT NOT NULL,
            options TEXT NOT NULL,
            closes_at INTEGER NOT NULL DEFAULT 0,
            closed INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE TABLE polls__votes (
            poll_id INTEGER NOT NULL REFERENCES polls__polls (id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL,
            choice INTEGER NOT NULL,
            PRIMARY KEY (poll_id, user_id)
        ) STRICT;
        """)
}
