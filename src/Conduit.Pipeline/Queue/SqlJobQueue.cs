using System.Data.Common;
using Conduit.Pipeline.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.Pipeline.Queue;

/// <summary>
/// The durable <see cref="IJobQueue"/>: the <c>job_queue</c> table in the store's database. A dequeue is one
/// <c>UPDATE … WHERE job_id = (SELECT … ORDER BY priority DESC, sequence LIMIT 1) RETURNING …</c>: on SQLite it runs
/// on the serialised writer; on PostgreSQL the sub-select takes <c>FOR UPDATE SKIP LOCKED</c>, so dequeuers on several
/// connections or nodes skip a row another is taking. Either way two dequeuers never lease the same job. Dequeuers
/// are woken by <see cref="QueueSignal"/> on an enqueue or release in this process, and on PostgreSQL by a
/// <c>NOTIFY</c> from any node; a timer is armed only for the next delayed job or lease expiry.
/// </summary>
public sealed class SqlJobQueue(StoreDatabase database, ILogger<SqlJobQueue>? logger = null) : IJobQueue
{
    private readonly QueueSignal _signal = new();
    private int _listening;
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    public Task<bool> EnqueueAsync(string jobId, int priority, DateTimeOffset? notBefore, CancellationToken cancellationToken) =>
        EnqueueAsync(jobId, priority, notBefore, published: false, cancellationToken);

    /// <summary>
    /// Queues a job; with <paramref name="published"/> the row records the enqueue time as its last publish to a broker
    /// (<see cref="RabbitJobQueue"/> publishes right after, and clears it with <see cref="MarkUnpublishedAsync"/> when
    /// that fails), so a successful publish costs no second write.
    /// </summary>
    internal async Task<bool> EnqueueAsync(string jobId, int priority, DateTimeOffset? notBefore, bool published, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        var now = database.UtcNow;
        var added = await database.WriteAsync((c, t) => Notified(c, t, c.Execute(t, """
            INSERT INTO job_queue (job_id, priority, sequence, enqueued_at, available_at, dequeue_count, published_at)
            VALUES (@id, @priority, @sequence, @now, @available, 0, @published)
            ON CONFLICT (job_id) DO NOTHING;
            """,
            ("@id", jobId), ("@priority", priority), ("@sequence", StoreIds.New(now)), ("@now", UtcTime.ToText(now)),
            ("@available", UtcTime.ToText(notBefore ?? now)), ("@published", published ? UtcTime.ToText(now) : null))) == 1,
            cancellationToken).ConfigureAwait(false);
        if (added)
        {
            QueueLog.Enqueued(_logger, jobId, priority);
            _signal.Set();
        }
        return added;
    }

    public async Task<JobLease?> TryDequeueAsync(string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        var now = database.UtcNow;
        var token = StoreIds.New(now);
        var lease = await database.WriteAsync((c, t) => c.Query(t, $"""
            UPDATE job_queue
            SET lease_owner = @owner, lease_token = @token, lease_expires_at = @expires, dequeue_count = dequeue_count + 1
            WHERE job_id = (
                SELECT job_id FROM job_queue
                WHERE (lease_token IS NULL AND available_at <= @now) OR (lease_token IS NOT NULL AND lease_expires_at <= @now)
                ORDER BY priority DESC, sequence
                LIMIT 1 {database.Dialect.LockSkipLocked})
            RETURNING job_id, priority, lease_expires_at, dequeue_count;
            """,
            LeaseRow(workerId, token),
            ("@owner", workerId), ("@token", token), ("@expires", UtcTime.ToText(now + leaseDuration)),
            ("@now", UtcTime.ToText(now))).FirstOrDefault(), cancellationToken).ConfigureAwait(false);
        return Taken(lease, workerId);
    }

    public async Task<JobLease> DequeueAsync(string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _listening, 1) == 0)
        {
            // Other nodes' enqueues and releases wake this one's idle dequeuers too (PostgreSQL; nothing on SQLite).
            database.ListenToQueue(_signal.Set);
        }
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await TryDequeueAsync(workerId, leaseDuration, cancellationToken).ConfigureAwait(false) is { } lease)
            {
                // Pass the wake-up on: more jobs may be ready and another idle worker should look.
                _signal.Set();
                return lease;
            }
            var due = await NextDueAsync(cancellationToken).ConfigureAwait(false);
            TimeSpan? wait = due is { } at ? Max(at - database.UtcNow, TimeSpan.FromMilliseconds(1)) : null;
            await _signal.WaitAsync(wait, database.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<JobLease?> ExtendLeaseAsync(JobLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var expires = database.UtcNow + leaseDuration;
        return ChangeLeasedAsync(lease, "UPDATE job_queue SET lease_expires_at = @expires WHERE job_id = @id AND lease_token = @token;",
            extended => extended ? lease with { ExpiresAt = expires } : null,
            cancellationToken, notify: false, ("@expires", UtcTime.ToText(expires)));
    }

    public Task<bool> CompleteAsync(JobLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return ChangeLeasedAsync(lease, "DELETE FROM job_queue WHERE job_id = @id AND lease_token = @token;",
            done => done, cancellationToken);
    }

    public Task<bool> RemoveWaitingAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        return database.WriteAsync((c, t) => c.Execute(t, "DELETE FROM job_queue WHERE job_id = @id AND lease_token IS NULL;",
            ("@id", jobId)) == 1, cancellationToken);
    }

    public async Task<bool> ReleaseAsync(JobLease lease, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var available = database.UtcNow + Max(retryAfter, TimeSpan.Zero);
        var released = await ChangeLeasedAsync(lease, """
            UPDATE job_queue SET lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, available_at = @available
            WHERE job_id = @id AND lease_token = @token;
            """, done => done, cancellationToken, notify: true, ("@available", UtcTime.ToText(available))).ConfigureAwait(false);
        if (released)
        {
            // Idle workers re-arm their timer for the new due time (or take the job at once when retryAfter is zero).
            _signal.Set();
        }
        return released;
    }

    public async Task<int> RecoverAsync(string? ownerPrefix, CancellationToken cancellationToken)
    {
        var now = UtcTime.ToText(database.UtcNow);
        var count = await database.WriteAsync((c, t) => Notified(c, t, c.Execute(t, """
            UPDATE job_queue SET lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, available_at = @now
            WHERE lease_token IS NOT NULL
              AND (lease_expires_at <= @now OR (CAST(@prefix AS TEXT) IS NOT NULL AND substr(lease_owner, 1, length(@prefix)) = @prefix));
            """, ("@now", now), ("@prefix", string.IsNullOrEmpty(ownerPrefix) ? null : ownerPrefix))), cancellationToken)
            .ConfigureAwait(false);
        if (count > 0)
        {
            QueueLog.Recovered(_logger, count);
            _signal.Set();
        }
        return count;
    }

    public Task<QueueCounts> CountAsync(CancellationToken cancellationToken)
    {
        var now = UtcTime.ToText(database.UtcNow);
        return database.ReadAsync(c => c.Query(null, """
            SELECT
                COALESCE(SUM(CASE WHEN lease_token IS NULL AND available_at <= @now THEN 1 ELSE 0 END), 0) AS ready,
                COALESCE(SUM(CASE WHEN lease_token IS NULL AND available_at > @now THEN 1 ELSE 0 END), 0) AS delayed,
                COALESCE(SUM(CASE WHEN lease_token IS NOT NULL THEN 1 ELSE 0 END), 0) AS leased
            FROM job_queue;
            """, r => new QueueCounts(r.Int("ready"), r.Int("delayed"), r.Int("leased")), ("@now", now))[0], cancellationToken);
    }

    /// <summary>
    /// Leases one named job when it is ready (waiting and due, or its lease lapsed), in one atomic <c>UPDATE</c>; null
    /// otherwise. The broker-backed queue (<see cref="RabbitJobQueue"/>) takes the job a delivery names with it, so a
    /// duplicate delivery of a job another worker holds, or one already finished, changes nothing.
    /// </summary>
    public async Task<JobLease?> TryLeaseAsync(string jobId, string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        var now = database.UtcNow;
        var token = StoreIds.New(now);
        var lease = await database.WriteAsync((c, t) => c.Query(t, """
            UPDATE job_queue
            SET lease_owner = @owner, lease_token = @token, lease_expires_at = @expires, dequeue_count = dequeue_count + 1
            WHERE job_id = @id
              AND ((lease_token IS NULL AND available_at <= @now) OR (lease_token IS NOT NULL AND lease_expires_at <= @now))
            RETURNING job_id, priority, lease_expires_at, dequeue_count;
            """,
            LeaseRow(workerId, token),
            ("@id", jobId), ("@owner", workerId), ("@token", token), ("@expires", UtcTime.ToText(now + leaseDuration)),
            ("@now", UtcTime.ToText(now))).FirstOrDefault(), cancellationToken).ConfigureAwait(false);
        return Taken(lease, workerId);
    }

    /// <summary>Reads the <c>RETURNING job_id, priority, lease_expires_at, dequeue_count</c> of a lease just taken.</summary>
    private static Func<DbDataReader, JobLease> LeaseRow(string workerId, string token) =>
        r => new JobLease(r.String("job_id"), r.Int("priority"), workerId, token, r.Time("lease_expires_at"), r.Int("dequeue_count"));

    /// <summary>Logs a lease just taken (and a redelivery, when the job was handed out before) and hands it on.</summary>
    private JobLease? Taken(JobLease? lease, string workerId)
    {
        if (lease is null) return null;
        QueueLog.Leased(_logger, workerId, lease.JobId, lease.ExpiresAt);
        if (lease.DeliveryCount > 1) QueueLog.Redelivered(_logger, lease.JobId, lease.DeliveryCount);
        return lease;
    }

    /// <summary>Records that the job's last publish to the broker failed: the next <see cref="ClaimRepublishAsync"/> takes it.</summary>
    internal Task MarkUnpublishedAsync(string jobId, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(t, "UPDATE job_queue SET published_at = NULL WHERE job_id = @id;", ("@id", jobId)),
            cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="limit"/> waiting jobs for publishing again, and records now as their last publish, in
    /// one <c>UPDATE</c> (on PostgreSQL its sub-select skips rows another node is claiming, so two nodes' sweeps do not
    /// both publish a job). Claimed: every waiting job whose last publish failed (or never happened), whatever its due
    /// time; and, when <paramref name="stalledSince"/> is given, every job that has been due since then and was last
    /// published before then: nobody took it for a whole sweep interval, so the broker most likely lost its message.
    /// </summary>
    internal Task<IReadOnlyList<QueuedJob>> ClaimRepublishAsync(DateTimeOffset? stalledSince, int limit, CancellationToken cancellationToken)
    {
        var now = UtcTime.ToText(database.UtcNow);
        return database.WriteAsync<IReadOnlyList<QueuedJob>>((c, t) => c.Query(t, $"""
            UPDATE job_queue SET published_at = @now
            WHERE job_id IN (
                SELECT job_id FROM job_queue
                WHERE lease_token IS NULL
                  AND (published_at IS NULL
                       OR (CAST(@since AS TEXT) IS NOT NULL AND published_at <= @since AND available_at <= @since))
                ORDER BY priority DESC, sequence
                LIMIT @limit {database.Dialect.LockSkipLocked})
            RETURNING job_id, priority, available_at, lease_expires_at;
            """, QueuedRow, ("@now", now), ("@since", stalledSince is { } since ? UtcTime.ToText(since) : null), ("@limit", limit)),
            cancellationToken);
    }

    /// <summary>The job's place in the queue, or null when it is not queued (finished, cancelled, never queued).</summary>
    public async Task<QueuedJob?> FindAsync(string jobId, CancellationToken cancellationToken) =>
        (await QueuedAsync("WHERE job_id = @id", cancellationToken, ("@id", jobId)).ConfigureAwait(false)).FirstOrDefault();

    private Task<IReadOnlyList<QueuedJob>> QueuedAsync(string where, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters) =>
        database.ReadAsync<IReadOnlyList<QueuedJob>>(c => c.Query(null,
            $"SELECT job_id, priority, available_at, lease_expires_at FROM job_queue {where};", QueuedRow, parameters), cancellationToken);

    private static QueuedJob QueuedRow(DbDataReader r) =>
        new(r.String("job_id"), r.Int("priority"), r.Time("available_at"), r.NullableTime("lease_expires_at"));

    /// <summary>When the next delayed job becomes ready or the next lease lapses; null when nothing is pending in time.</summary>
    private Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.Scalar(null, """
            SELECT MIN(due) FROM (
                SELECT MIN(available_at) AS due FROM job_queue WHERE lease_token IS NULL
                UNION ALL
                SELECT MIN(lease_expires_at) FROM job_queue WHERE lease_token IS NOT NULL) AS due_times;
            """) is string text ? UtcTime.Parse(text) : (DateTimeOffset?)null, cancellationToken);

    private async Task<T> ChangeLeasedAsync<T>(JobLease lease, string sql, Func<bool, T> result,
        CancellationToken cancellationToken, bool notify = false, params (string Name, object? Value)[] extra)
    {
        var changed = await database.WriteAsync((c, t) =>
        {
            var rows = c.Execute(t, sql, [("@id", lease.JobId), ("@token", lease.Token), .. extra]);
            return (notify ? Notified(c, t, rows) : rows) == 1;
        }, cancellationToken).ConfigureAwait(false);
        if (!changed)
        {
            QueueLog.LeaseLost(_logger, lease.WorkerId, lease.JobId);
        }
        return result(changed);
    }

    /// <summary>Tells other nodes' dequeuers when <paramref name="rows"/> made a job ready; passes the count through.</summary>
    private int Notified(DbConnection c, DbTransaction t, int rows)
    {
        if (rows > 0)
        {
            database.NotifyQueue(c, t);
        }
        return rows;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
