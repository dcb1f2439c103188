/// One step of a cog's database schema: the SQL that brings version `version - 1` to `version`.
///
/// The host runs pending steps once, at start-up, in one transaction per cog, after backing
/// the database up; a failing step rolls the cog's steps back and the host does not start.
/// Tables and indexes must be named `<cog>__<name>`; anything else is refused.
///
/// ```swift
/// static let migrations = [
///     SchemaMigration(1, "members", sql: """
///         CREATE TABLE xp__members (guild_id INTEGER NOT NULL, user_id INTEGER NOT NULL, xp INTEGER NOT NULL DEFAULT 0,
///                                   PRIMARY KEY (guild_id, user_id)) STRICT;
///         CREATE INDEX xp__members_by_xp ON xp__members (guild_id, xp DESC);
///         """),
///     SchemaMigration(2, "streaks", sql: "ALTER TABLE xp__members ADD COLUMN streak INTEGER NOT NULL DEFAULT 0"),
/// ]
/// ```
///
/// Never edit a step that has shipped: add the next one.
public struct SchemaMigration: Sendable, Equatable {
    /// 1 for the first step, then +1 per step.
    public let version: Int
    /// What the step does, for the logs and errors.
    public let summary: String
    /// One or more statements, separated by semicolons.
    public let sql: String

    public init(_ version: Int, _ summary: String, sql: String) {
        self.version = version
        self.summary = summary
        self.sql = sql
    }
}
