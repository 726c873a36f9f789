namespace Conduit.Pipeline.Store;

/// <summary>
/// SQLite's versioned schema changes, applied in order at open inside the writer's transaction by
/// <see cref="SchemaMigrator"/>. A migration is never edited once landed: a change is a new entry. The SQL sticks to
/// what PostgreSQL also accepts (text ids, text UTC timestamps, partial unique indexes); <see cref="PostgresMigrations"/>
/// keeps the same numbers and differs only where the two must.
/// </summary>
internal static class SqliteMigrations
{
    private static readonly (int Version, string Description, string Sql)[] Migrations =
    [
        (1, "instances, batches, jobs, queue", SchemaV1.Sql),
        (2, "batches remember why they made no job", "ALTER TABLE batches ADD COLUMN no_job_reason TEXT;"),
        (3, "uploads through the HTTP API and the instances they brought", SchemaV3Uploads.Sql),
        (4, "watched-folder batches and what became of their files", SchemaV4FolderBatches.Sql),
        (5, "destinations remember when delivery started and ended",
            "ALTER TABLE job_destinations ADD COLUMN started_at TEXT; ALTER TABLE job_destinations ADD COLUMN ended_at TEXT;"),
        (6, "users and API tokens of the HTTP side", SchemaV6Auth.Sql),
        // The dashboard counts instances received and jobs ended over the last hour or day (SqlActivityStats).
        (7, "indexes for the dashboard's time-window counts",
            "CREATE INDEX instances_received ON instances (received_at); CREATE INDEX jobs_ended ON jobs (ended_at);"),
        // RabbitJobQueue's sweep publishes again a waiting job whose last publish failed or was long ago.
        (8, "queue rows remember when their job was last published to the broker", "ALTER TABLE job_queue ADD COLUMN published_at TEXT;"),
        // Several nodes on one database: each open batch is filled by one node, and another adopts it only once that
        // node stopped beating (Ingest/BatchOwnership).
        (9, "batches belong to the node that fills them; nodes beat", SchemaV9Nodes.Sql),
        // The jobs API pages the unfiltered list by (created_at, id) cursors; without it each page sorted every job.
        (10, "an index for the jobs list by creation", "CREATE INDEX jobs_created ON jobs (created_at, id);"),
    ];

    public static int Latest => Migrations[^1].Version;

    public static IReadOnlyList<Migration> All { get; } = [.. Migrations.Select(m => new Migration(m.Version, m.Description, m.Sql))];
}
