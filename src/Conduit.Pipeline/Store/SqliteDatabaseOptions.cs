namespace Conduit.Pipeline.Store;

/// <summary>Where the SQLite database lives and how long a connection waits for a lock held elsewhere.</summary>
public sealed class SqliteDatabaseOptions
{
    public const int DefaultBusyTimeoutMs = 10_000;

    /// <summary>Path of the database file (created, with its folder, when missing).</summary>
    public required string Path { get; init; }

    /// <summary>How long a statement waits on a lock held by another connection or process.</summary>
    public int BusyTimeoutMs { get; init; } = DefaultBusyTimeoutMs;

    /// <summary>
    /// True (the default): a commit returns once it is on the disk (<c>synchronous=FULL</c>). False: once it is in the
    /// write-ahead log (<c>synchronous=NORMAL</c>); a power loss may roll back the last commits but never corrupts the
    /// file. Serve sets it from <c>receiver.fsync</c>: an instance acknowledged without flushing its file need not have
    /// its record flushed either.
    /// </summary>
    public bool Durable { get; init; } = true;
}
