using Microsoft.Data.Sqlite;

namespace Conduit.Pipeline.Store;

/// <summary>
/// Versioned schema changes, applied in order at open inside the writer's transaction. A migration is never edited
/// once landed: a change is a new entry. Applying is idempotent: versions already recorded in
/// <c>schema_migrations</c> are skipped. The SQL sticks to what PostgreSQL also accepts (text ids, text UTC
/// timestamps, partial unique indexes), so a PostgreSQL store can start from the same statements.
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
        // The dashboard counts instances received and jobs ended over the last hour or day (SqliteActivityStats).
        (7, "indexes for the dashboard's time-window counts",
            "CREATE INDEX instances_received ON instances (received_at); CREATE INDEX jobs_ended ON jobs (ended_at);"),
    ];

    public static int Latest => Migrations[^1].Version;

    /// <summary>Applies what is missing and returns the resulting version.</summary>
    public static int Apply(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset now)
    {
        connection.Execute(transaction, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version     INTEGER PRIMARY KEY,
                description TEXT NOT NULL,
                applied_at  TEXT NOT NULL
            );
            """);
        var current = Convert.ToInt32(
            connection.Scalar(transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;"),
            System.Globalization.CultureInfo.InvariantCulture);
        if (current > Latest)
        {
            throw new InvalidOperationException(
                $"The database schema is version {current}, newer than this Conduit knows ({Latest}); upgrade Conduit.");
        }
        foreach (var (version, description, sql) in Migrations)
        {
            if (version <= current)
            {
                continue;
            }
            connection.Execute(transaction, sql);
            connection.Execute(transaction,
                "INSERT INTO schema_migrations (version, description, applied_at) VALUES (@v, @d, @t);",
                ("@v", version), ("@d", description), ("@t", UtcTime.ToText(now)));
            current = version;
        }
        return current;
    }
}
