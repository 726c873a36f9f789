using System.Data.Common;
using System.Globalization;

namespace Conduit.Pipeline.Store;

/// <summary>
/// Applies the migrations a database lacks, in order, inside the caller's transaction, and records each in
/// <c>schema_migrations</c>. Idempotent: versions already recorded are skipped. A database newer than the code is
/// refused.
/// </summary>
internal static class SchemaMigrator
{
    /// <summary>Applies what is missing and returns the resulting version.</summary>
    public static int Apply(DbConnection connection, DbTransaction transaction, IReadOnlyList<Migration> migrations, DateTimeOffset now)
    {
        connection.Execute(transaction, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version     INTEGER PRIMARY KEY,
                description TEXT NOT NULL,
                applied_at  TEXT NOT NULL
            );
            """);
        var latest = migrations[^1].Version;
        var current = Convert.ToInt32(
            connection.Scalar(transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;"), CultureInfo.InvariantCulture);
        if (current > latest)
        {
            throw new InvalidOperationException(
                $"The database schema is version {current}, newer than this Conduit knows ({latest}); upgrade Conduit.");
        }
        foreach (var migration in migrations)
        {
            if (migration.Version <= current)
            {
                continue;
            }
            connection.Execute(transaction, migration.Sql);
            connection.Execute(transaction,
                "INSERT INTO schema_migrations (version, description, applied_at) VALUES (@v, @d, @t);",
                ("@v", migration.Version), ("@d", migration.Description), ("@t", UtcTime.ToText(now)));
            current = migration.Version;
        }
        return current;
    }
}
