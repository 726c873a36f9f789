using System.Data;
using System.Data.Common;
using System.Threading.Channels;

namespace Conduit.Pipeline.Store;

/// <summary>
/// The single writer of a <see cref="SqliteDatabase"/> or a <see cref="PostgresDatabase"/>: takes queued writes in
/// order, runs those waiting together (up to <see cref="MaxGroup"/>) in one transaction with a savepoint each, commits
/// once, then completes their tasks. One fsync per group instead of one per write is what lets several receivers record
/// at the rate of the disk rather than a fraction of it; and one connection written by one loop means a process's
/// writers never wait on each other's row locks (nor block thread-pool threads doing so).
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private const int MaxGroup = 256;
    private const string Savepoint = "w";

    private readonly Channel<Request> _queue = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<DbConnection, DbTransaction> _begin;
    private readonly Func<DbConnection>? _reconnect;
    private readonly Func<Exception, bool> _runAgain;
    private readonly int _maxAttempts;
    private readonly Task _loop;
    private DbConnection _connection;

    /// <param name="connection">The open writer connection, owned by the caller.</param>
    /// <param name="begin">Starts the group's transaction (SQLite: IMMEDIATE, so the write lock is taken at once).</param>
    /// <param name="reconnect">
    /// Opens a new connection when the current one is no longer open (a server restart, a network cut), before the next
    /// group; null when the connection cannot break (SQLite's file).
    /// </param>
    /// <param name="runAgain">Whether a write that threw this may succeed when run again (a race lost to another node).</param>
    /// <param name="maxAttempts">How many times such a write is run in all.</param>
    public GroupCommitWriter(DbConnection connection, Func<DbConnection, DbTransaction> begin, Func<DbConnection>? reconnect = null,
        Func<Exception, bool>? runAgain = null, int maxAttempts = 1)
    {
        _connection = connection;
        _begin = begin;
        _reconnect = reconnect;
        _runAgain = runAgain ?? (static _ => false);
        _maxAttempts = maxAttempts;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The connection the loop writes on now (it changes only after a reconnect).</summary>
    public DbConnection Connection => _connection;

    public Task<T> EnqueueAsync<T>(Func<DbConnection, DbTransaction, T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var request = new Request<T>(work, cancellationToken);
        if (!_queue.Writer.TryWrite(request))
        {
            throw new ObjectDisposedException(nameof(StoreDatabase));
        }
        return request.Task;
    }

    private async Task RunAsync()
    {
        var group = new List<Request>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var request))
            {
                if (request.CancellationToken.IsCancellationRequested)
                {
                    request.Cancel();
                }
                else
                {
                    group.Add(request);
                }
            }
            if (group.Count > 0)
            {
                CommitGroup(group);
                group.Clear();
            }
        }
    }

    private void CommitGroup(List<Request> group)
    {
        var failure = TryCommit(group);
        if (failure is not null && _reconnect is not null && _connection.State != ConnectionState.Open)
        {
            // The connection broke (a server restart, a network cut) and nothing was committed: the group runs once
            // more on a new connection. (Had the COMMIT reached the server before the cut, its writes run twice:
            // delivery is at least once, as everywhere in the pipeline.)
            failure = Reconnect() ?? TryCommit(group);
        }
        foreach (var request in group)
        {
            request.Error ??= failure;
            request.Complete();
        }
    }

    /// <summary>Runs and commits the group; the exception that undid all of it (BEGIN or COMMIT failed), or null.</summary>
    private Exception? TryCommit(List<Request> group)
    {
        foreach (var request in group)
        {
            request.Error = null;
        }
        try
        {
            if (_reconnect is not null && _connection.State != ConnectionState.Open && Reconnect() is { } down)
            {
                return down;
            }
            using var transaction = _begin(_connection);
            foreach (var request in group)
            {
                for (var attempt = 1; ; attempt++)
                {
                    transaction.Save(Savepoint);
                    try
                    {
                        request.Run(_connection, transaction);
                        transaction.Release(Savepoint);
                        break;
                    }
                    catch (Exception e)
                    {
                        // This write is undone alone; the others in the group go on.
                        transaction.Rollback(Savepoint);
                        transaction.Release(Savepoint);
                        if (attempt < _maxAttempts && _runAgain(e))
                        {
                            continue;
                        }
                        request.Error = e;
                        break;
                    }
                }
            }
            transaction.Commit();
            return null;
        }
        catch (Exception e)
        {
            // BEGIN or COMMIT failed (disk full, I/O error, connection lost): nothing in the group is durable.
            return e;
        }
    }

    /// <summary>Replaces the connection; the exception when no new one opens (the group then fails with it).</summary>
    private Exception? Reconnect()
    {
        try
        {
            _connection.Dispose();
            _connection = _reconnect!();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private abstract class Request(CancellationToken cancellationToken)
    {
        public CancellationToken CancellationToken { get; } = cancellationToken;
        public Exception? Error { get; set; }

        public abstract void Run(DbConnection connection, DbTransaction transaction);
        public abstract void Complete();
        public abstract void Cancel();
    }

    private sealed class Request<T>(Func<DbConnection, DbTransaction, T> work, CancellationToken cancellationToken)
        : Request(cancellationToken)
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public override void Run(DbConnection connection, DbTransaction transaction) => _result = work(connection, transaction);

        public override void Complete()
        {
            if (Error is not null)
            {
                _completion.TrySetException(Error);
            }
            else
            {
                _completion.TrySetResult(_result!);
            }
        }

        public override void Cancel() => _completion.TrySetCanceled(CancellationToken);
    }
}
