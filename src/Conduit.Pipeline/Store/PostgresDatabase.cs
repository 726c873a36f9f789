using System.Data;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Conduit.Pipeline.Store;

/// <summary>
/// The store on PostgreSQL, for several Conduit nodes sharing one database. As on SQLite, a node's writes go through
/// one writer connection owned by one loop (<see cref="GroupCommitWriter"/>): the writes waiting together commit in
/// one transaction, each in its own savepoint, with PostgreSQL's default <c>synchronous_commit=on</c>, so a write's
/// task completes once it is durable and concurrent writers of a node share a commit instead of waiting on each
/// other's row locks. Other nodes write beside it: a write that loses a race to one of them on a unique key (opening
/// the same patient or batch), or a deadlock, is rolled back to its savepoint and run again (<see cref="MaxAttempts"/>
/// in all); the second run sees the winner's row. Reads take pooled connections.
/// </summary>
public sealed class PostgresDatabase : StoreDatabase
{
    private const int MaxAttempts = 5;
    private const string QueueChannel = "conduit_queue";
    // Any fixed number: the advisory lock that makes nodes starting together apply migrations one at a time.
    private const long MigrationLock = 0x436F6E647569;

    private readonly NpgsqlDataSource _source;
    private readonly GroupCommitWriter _writer;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closing = new();
    private readonly List<Action> _listeners = [];
    private Task? _listening;
    private bool _disposed;

    private PostgresDatabase(NpgsqlDataSource source, NpgsqlConnection writer, TimeProvider time, ILogger logger) : base(time, SqlDialect.Postgres)
    {
        _source = source;
        _logger = logger;
        _writer = new GroupCommitWriter(writer, static c => c.BeginTransaction(), source.OpenConnection, RunAgain, MaxAttempts);
    }

    /// <summary>Connects and applies pending migrations (the database itself must exist).</summary>
    public static async Task<PostgresDatabase> OpenAsync(string connectionString, TimeProvider? time = null, ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            // The stores run the same few statements over and over: prepared once per connection, they skip parsing
            // and planning (unless the connection string says otherwise).
            builder.MaxAutoPrepare = 64;
        }
        if (builder.KeepAlive == 0)
        {
            // The queue's listener connection only waits: a keepalive every 30 s notices a server or network gone
            // (the listener then reconnects) instead of waiting forever.
            builder.KeepAlive = 30;
        }
        var source = NpgsqlDataSource.Create(builder);
        NpgsqlConnection writer;
        try
        {
            writer = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var database = new PostgresDatabase(source, writer, time ?? TimeProvider.System, logger ?? NullLogger.Instance);
        try
        {
            database.SchemaVersion = await database.WriteAsync((connection, transaction) =>
            {
                connection.Execute(transaction, "SELECT pg_advisory_xact_lock(@lock);", ("@lock", MigrationLock));
                return SchemaMigrator.Apply(connection, transaction, PostgresMigrations.All, database.UtcNow);
            }, cancellationToken).ConfigureAwait(false);
            // The password never reaches the log.
            StoreLog.DatabaseOpened(database._logger, $"postgres://{builder.Host}:{builder.Port}/{builder.Database}", database.SchemaVersion);
            return database;
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _writer.EnqueueAsync(work, cancellationToken);
    }

    public override async Task<T> ReadAsync<T>(Func<DbConnection, T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return work(connection);
    }

    /// <summary>REPEATABLE READ: every statement of the transaction sees the snapshot of its first one.</summary>
    public override DbTransaction BeginSnapshot(DbConnection connection) =>
        ((NpgsqlConnection)connection).BeginTransaction(IsolationLevel.RepeatableRead);

    /// <summary>Delivered to every listening node when the transaction commits (and not at all if it rolls back).</summary>
    public override void NotifyQueue(DbConnection connection, DbTransaction transaction) =>
        connection.Execute(transaction, $"NOTIFY {QueueChannel};");

    public override void ListenToQueue(Action onNotified)
    {
        ArgumentNullException.ThrowIfNull(onNotified);
        lock (_listeners)
        {
            _listeners.Add(onNotified);
            _listening ??= Task.Run(() => ListenAsync(_closing.Token));
        }
    }

    /// <summary>
    /// One connection per node waits for the queue's notifications. Once listening, and whenever it drops, the
    /// listeners are called once (a notification may have gone to nobody); a dropped connection is opened again
    /// after a pause.
    /// </summary>
    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += (_, _) => Notify();
                await using (var listen = new NpgsqlCommand($"LISTEN {QueueChannel};", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                // A job enqueued before LISTEN took effect sent its notification to nobody: look once now.
                Notify();
                while (true)
                {
                    await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                StoreLog.ListenerLost(_logger, e.Message);
                Notify();
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), Time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Notify()
    {
        Action[] listeners;
        lock (_listeners)
        {
            listeners = [.. _listeners];
        }
        foreach (var listener in listeners)
        {
            listener();
        }
    }

    // 23505 unique_violation, 40001 serialization_failure, 40P01 deadlock_detected (PostgreSQL Appendix A).
    private bool RunAgain(Exception e)
    {
        if (e is PostgresException { SqlState: "23505" or "40001" or "40P01" } lost)
        {
            StoreLog.WriteRetried(_logger, lost.SqlState);
            return true;
        }
        return false;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await _closing.CancelAsync().ConfigureAwait(false);
        if (_listening is { } listening)
        {
            await listening.ConfigureAwait(false);
        }
        _closing.Dispose();
        // Writes already queued are committed; then the loop ends and the connection closes.
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _writer.Connection.DisposeAsync().ConfigureAwait(false);
        await _source.DisposeAsync().ConfigureAwait(false);
    }
}
