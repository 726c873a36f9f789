namespace Conduit.Pipeline.Configuration;

/// <summary>Which database holds instances, batches and jobs.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary><c>database:</c> the store's database.</summary>
public sealed class DatabaseOptions
{
    public const DatabaseProvider DefaultProvider = DatabaseProvider.Sqlite;
    public const string DefaultSqliteFileName = "conduit.db";

    public DatabaseProvider Provider { get; set; } = DefaultProvider;

    /// <summary>ADO.NET connection string; null means the SQLite file <c>conduit.db</c> in the data directory (PostgreSQL needs one).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The connection string to use: the configured one, else SQLite's default file in <paramref name="dataDirectory"/>.</summary>
    public string EffectiveConnectionString(string dataDirectory) =>
        ConnectionString ?? $"Data Source={Path.Combine(dataDirectory, DefaultSqliteFileName)}";
}
