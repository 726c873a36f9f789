namespace Conduit.Pipeline.Store;

/// <summary>Where the SQLite database lives and how long a connection waits for a lock held elsewhere.</summary>
public sealed class SqliteDatabaseOptions
{
    public const int DefaultBusyTimeoutMs = 10_000;

    /// <summary>Path of the database file (created, with its folder, when missing).</summary>
    public required string Path { get; init; }

    /// <summary>How long a statement waits on a lock held by another connection or process.</summary>
    public int BusyTimeoutMs { get; init; } = DefaultBusyTimeoutMs;
}
