using System.Data.Common;

namespace Conduit.Pipeline.Store;

/// <summary>
/// The database under every store class (<see cref="SqlInstanceStore"/>, <see cref="SqlJobRepository"/>, the queue…):
/// SQLite embedded (<see cref="SqliteDatabase"/>) or PostgreSQL for several nodes (<see cref="PostgresDatabase"/>).
/// The stores hold the SQL, which both accept; what differs between the two — how writes are serialised, how a read
/// gets a snapshot, the few functions without a common spelling — lives here and in <see cref="SqlDialect"/>.
/// </summary>
public abstract class StoreDatabase : IAsyncDisposable
{
    protected StoreDatabase(TimeProvider time, SqlDialect dialect)
    {
        Time = time;
        Dialect = dialect;
    }

    /// <summary>The clock every timestamp the store writes comes from (a fake one in tests).</summary>
    public TimeProvider Time { get; }

    public DateTimeOffset UtcNow => Time.GetUtcNow();

    /// <summary>The spellings that differ between the two databases.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>The schema version after migrations ran.</summary>
    public int SchemaVersion { get; protected set; }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction of its own: it commits, or, when it throws, is rolled back and the
    /// exception is rethrown here. The task completes once the commit is durable. <paramref name="work"/> must be
    /// synchronous and must not call back into the database; it may run more than once (PostgreSQL runs a write that
    /// lost a race on a unique key to another node's again), so it must only read and write through its connection.
    /// </summary>
    public abstract Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, T> work, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> on a reader connection (each statement sees committed data).</summary>
    public abstract Task<T> ReadAsync<T>(Func<DbConnection, T> work, CancellationToken cancellationToken);

    /// <summary>A read-only transaction on a reader connection, so that several statements see one snapshot.</summary>
    public abstract DbTransaction BeginSnapshot(DbConnection connection);

    /// <summary>
    /// Tells the queue's dequeuers on other processes that a job became ready (PostgreSQL <c>NOTIFY</c>, sent at
    /// commit); nothing on SQLite, whose dequeuers all live in the one process that writes.
    /// </summary>
    public virtual void NotifyQueue(DbConnection connection, DbTransaction transaction)
    {
    }

    /// <summary>
    /// Calls <paramref name="onNotified"/> whenever another process sent <see cref="NotifyQueue"/>, until the database
    /// is disposed. Nothing on SQLite.
    /// </summary>
    public virtual void ListenToQueue(Action onNotified)
    {
    }

    public abstract ValueTask DisposeAsync();
}
