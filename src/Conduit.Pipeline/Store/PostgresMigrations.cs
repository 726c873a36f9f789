namespace Conduit.Pipeline.Store;

/// <summary>
/// PostgreSQL's versioned schema changes: the same numbers and tables as <see cref="SqliteMigrations"/>, so a database
/// moved from one to the other (or a reader of both) finds the same shape. Most statements are SQLite's as they are;
/// where the two must differ the change is spelt out below. Never edited once landed, like SQLite's.
/// </summary>
internal static class PostgresMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        // size_bytes: a PostgreSQL INTEGER is 32-bit, and a DICOM file may be larger than 2 GiB.
        new(1, "instances, batches, jobs, queue", Replace(SchemaV1.Sql,
            "size_bytes          INTEGER NOT NULL", "size_bytes          BIGINT NOT NULL")),
        new(2, "batches remember why they made no job", "ALTER TABLE batches ADD COLUMN no_job_reason TEXT;"),
        new(3, "uploads through the HTTP API and the instances they brought", SchemaV3Uploads.Sql),
        new(4, "watched-folder batches and what became of their files", SchemaV4FolderBatches.Sql),
        new(5, "destinations remember when delivery started and ended",
            "ALTER TABLE job_destinations ADD COLUMN started_at TEXT; ALTER TABLE job_destinations ADD COLUMN ended_at TEXT;"),
        // User names are unique and found in any letter case (SQLite's COLLATE NOCASE): a nondeterministic ICU
        // collation gives PostgreSQL the same without lower() in every query.
        new(6, "users and API tokens of the HTTP side",
            "CREATE COLLATION conduit_nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);\n"
            + Replace(SchemaV6Auth.Sql, "COLLATE NOCASE", "COLLATE conduit_nocase")),
        new(7, "indexes for the dashboard's time-window counts",
            "CREATE INDEX instances_received ON instances (received_at); CREATE INDEX jobs_ended ON jobs (ended_at);"),
        new(8, "queue rows remember when their job was last published to the broker", "ALTER TABLE job_queue ADD COLUMN published_at TEXT;"),
        new(9, "batches belong to the node that fills them; nodes beat", SchemaV9Nodes.Sql),
        new(10, "an index for the jobs list by creation", "CREATE INDEX jobs_created ON jobs (created_at, id);"),
    ];

    public static int Latest => All[^1].Version;

    /// <summary>A dialect change to a shared statement; throws when the text it changes is not there (a test opens a database).</summary>
    private static string Replace(string sql, string from, string to) =>
        sql.Contains(from, StringComparison.Ordinal)
            ? sql.Replace(from, to, StringComparison.Ordinal)
            : throw new InvalidOperationException($"PostgreSQL migration: '{from}' not found in the shared schema.");
}
