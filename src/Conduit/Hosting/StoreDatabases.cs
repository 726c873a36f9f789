using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Conduit.Hosting;

/// <summary>
/// Opens the database <c>database.provider</c> names — the one seam between the two providers. Every store class
/// (<see cref="SqlInstanceStore"/>, <see cref="SqlJobRepository"/>, <see cref="Pipeline.Queue.SqlJobQueue"/>,
/// <see cref="SqlAuthStore"/>…) is built on the <see cref="StoreDatabase"/> it returns, whichever it is, so
/// <c>conduit serve</c> and the CLI's user and token verbs take the same path on SQLite and on PostgreSQL.
/// </summary>
internal static class StoreDatabases
{
    public static async Task<StoreDatabase> OpenAsync(ConduitOptions options, string dataDirectory, ILoggerFactory? loggerFactory,
        CancellationToken cancellationToken) => options.Database.Provider switch
        {
            // receiver.fsync false: instances are acknowledged before they reach the disk, so their records need not either.
            DatabaseProvider.Sqlite => await SqliteDatabase.OpenAsync(
                new SqliteDatabaseOptions { Path = SqlitePath(options, dataDirectory), Durable = options.Receiver.Fsync },
                null, loggerFactory?.CreateLogger<SqliteDatabase>(), cancellationToken),
            DatabaseProvider.Postgres => await OpenPostgresAsync(options.Database, loggerFactory, cancellationToken),
            _ => throw new ServeException($"database.provider {options.Database.Provider} is not supported"),
        };

    private static async Task<StoreDatabase> OpenPostgresAsync(DatabaseOptions options, ILoggerFactory? loggerFactory,
        CancellationToken cancellationToken)
    {
        try
        {
            // The validator has made sure a connection string is there (ConduitOptionsValidator).
            return await PostgresDatabase.OpenAsync(options.ConnectionString!, null, loggerFactory?.CreateLogger<PostgresDatabase>(),
                cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException)
        {
            // Npgsql's messages name the host and the problem, never the password.
            throw new ServeException($"the PostgreSQL database of database.connection_string cannot be opened: {e.Message}");
        }
    }

    /// <summary>The SQLite file <c>conduit serve</c> uses (the CLI's user and token verbs open the same one).</summary>
    public static string SqlitePath(ConduitOptions options, string dataDirectory) => options.Database.ConnectionString is { } connection
        ? new SqliteConnectionStringBuilder(connection).DataSource
        : Path.Combine(dataDirectory, DatabaseOptions.DefaultSqliteFileName);
}
