using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Conduit.Pipeline.Store;

/// <summary>
/// The single writer of a <see cref="SqliteDatabase"/>: takes queued writes in order, runs those waiting together
/// (up to <see cref="MaxGroup"/>) in one IMMEDIATE transaction with a savepoint each, commits once, then completes
/// their tasks. One fsync per group instead of one per write is what lets several receivers record at the rate of
/// the disk rather than a fraction of it.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const int MaxGroup = 256;
    private const string Savepoint = "w";

    private readonly Channel<Request> _queue = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly Task _loop;

    public SqliteWriter(SqliteConnection connection)
    {
        _connection = connection;
        _loop = Task.Run(RunAsync);
    }

    public Task<T> EnqueueAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var request = new Request<T>(work, cancellationToken);
        if (!_queue.Writer.TryWrite(request))
        {
            throw new ObjectDisposedException(nameof(SqliteDatabase));
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
        try
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            foreach (var request in group)
            {
                transaction.Save(Savepoint);
                try
                {
                    request.Run(_connection, transaction);
                    transaction.Release(Savepoint);
                }
                catch (Exception e)
                {
                    // This write is undone alone; the others in the group go on.
                    transaction.Rollback(Savepoint);
                    transaction.Release(Savepoint);
                    request.Error = e;
                }
            }
            transaction.Commit();
        }
        catch (Exception e)
        {
            // BEGIN or COMMIT failed (disk full, I/O error): nothing in the group is durable.
            foreach (var request in group)
            {
                request.Error ??= e;
            }
        }
        foreach (var request in group)
        {
            request.Complete();
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

        public abstract void Run(SqliteConnection connection, SqliteTransaction transaction);
        public abstract void Complete();
        public abstract void Cancel();
    }

    private sealed class Request<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
        : Request(cancellationToken)
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public override void Run(SqliteConnection connection, SqliteTransaction transaction) => _result = work(connection, transaction);

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
