using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.Pipeline.Store;

/// <summary>
/// The embedded store's SQLite database. SQLite allows one writer at a time, so every state change goes through one
/// long-lived writer connection owned by one writer loop (<see cref="GroupCommitWriter"/>): writes queue in-process
/// (cheaper and fairer than SQLITE_BUSY retries) and the loop commits the writes waiting together in one IMMEDIATE
/// transaction, each inside its own savepoint — a group commit, so concurrent writers share an fsync and a failing
/// write undoes only itself. Reads take a pooled connection each and run beside the writer thanks to WAL.
/// <c>synchronous=FULL</c> (unless <see cref="SqliteDatabaseOptions.Durable"/> is false): a committed transaction survives power loss, which is what lets the SCP acknowledge an
/// instance once it is recorded (a write's task completes only after its commit).
/// </summary>
public sealed class SqliteDatabase : StoreDatabase
{
    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;
    private readonly bool _durable;
    private readonly SqliteConnection _writer;
    private readonly GroupCommitWriter _loop;
    private bool _disposed;

    private SqliteDatabase(string connectionString, int busyTimeoutMs, bool durable, SqliteConnection writer, TimeProvider time)
        : base(time, SqlDialect.Sqlite)
    {
        _connectionString = connectionString;
        _busyTimeoutMs = busyTimeoutMs;
        _durable = durable;
        _writer = writer;
        _loop = new GroupCommitWriter(writer, static c => ((SqliteConnection)c).BeginTransaction(deferred: false));
    }

    /// <summary>Opens (creating when missing) the database and applies pending migrations.</summary>
    public static async Task<SqliteDatabase> OpenAsync(
        SqliteDatabaseOptions options, TimeProvider? time = null, ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var full = System.IO.Path.GetFullPath(options.Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout: that is the busy timeout.
            DefaultTimeout = Math.Max(1, options.BusyTimeoutMs / 1000),
        }.ToString();

        var writer = new SqliteConnection(connectionString);
        await writer.OpenAsync(cancellationToken).ConfigureAwait(false);
        var database = new SqliteDatabase(connectionString, options.BusyTimeoutMs, options.Durable, writer, time ?? TimeProvider.System);
        try
        {
            // WAL is a property of the file (persists); the others are per connection.
            writer.Scalar("PRAGMA journal_mode=WAL;");
            database.Configure(writer);
            database.SchemaVersion = await database.WriteAsync(
                (connection, transaction) => SchemaMigrator.Apply(connection, transaction, SqliteMigrations.All, database.UtcNow),
                cancellationToken).ConfigureAwait(false);
            StoreLog.DatabaseOpened(logger ?? NullLogger.Instance, full, database.SchemaVersion);
            return database;
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the writer connection, atomically: it commits with the writes queued beside it,
    /// or, when it throws, is rolled back alone and the exception is rethrown here. The task completes once the
    /// commit is durable. <paramref name="work"/> must be synchronous and must not call back into the database.
    /// </summary>
    public override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _loop.EnqueueAsync(work, cancellationToken);
    }

    /// <summary>Runs <paramref name="work"/> on a pooled reader connection (a consistent WAL snapshot per statement).</summary>
    public override Task<T> ReadAsync<T>(Func<DbConnection, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        connection.Execute(null, "PRAGMA busy_timeout=" + _busyTimeoutMs + ";");
        return Task.FromResult(work(connection));
    }

    /// <summary>A deferred transaction: it reads one WAL snapshot and never takes the write lock.</summary>
    public override DbTransaction BeginSnapshot(DbConnection connection) =>
        ((SqliteConnection)connection).BeginTransaction(deferred: true);

    private void Configure(SqliteConnection connection)
    {
        connection.Execute(null, _durable ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;");
        connection.Execute(null, "PRAGMA foreign_keys=ON;");
        connection.Execute(null, "PRAGMA busy_timeout=" + _busyTimeoutMs + ";");
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        // Writes already queued are committed; then the loop ends and the connection closes.
        await _loop.DisposeAsync().ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
    }
}
