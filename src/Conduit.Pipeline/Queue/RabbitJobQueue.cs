using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;

namespace Conduit.Pipeline.Queue;

/// <summary>
/// The <see cref="IJobQueue"/> for several nodes with a RabbitMQ broker. The database stays the source of truth: every
/// job is a row of <see cref="SqlJobQueue"/>'s table, and a worker runs a job only after taking that row's lease in
/// one atomic <c>UPDATE</c> (<see cref="SqlJobQueue.TryLeaseAsync"/>). The broker only distributes job ids: a durable
/// priority queue (<c>x-max-priority</c> 5, the flows' priority range), persistent messages published with
/// publisher confirms, <c>prefetch</c> = the node's workers, and a manual ack once the job's outcome is recorded
/// (<see cref="CompleteAsync"/>, <see cref="ReleaseAsync"/>). A node that dies without acking has its deliveries
/// handed to another node by the broker (the lease equivalent); that node waits for the dead worker's database lease
/// to lapse before it takes the job, so a job never runs twice at once.
/// <para>
/// A delivery whose job is gone (finished, cancelled) or leased by a live worker is a duplicate: it is acked and
/// dropped. Duplicates are harmless by design, which is what lets <see cref="RecoverAsync"/> publish every waiting job
/// again at start-up (and after the connection recovers), so a message the broker lost never loses a job; between
/// those, a periodic sweep (<see cref="SweepAsync"/>) publishes again a job whose publish failed or that nobody took.
/// Delayed jobs (a retry after a delay) wait in a per-delay queue whose messages expire into the main queue.
/// </para>
/// </summary>
public sealed partial class RabbitJobQueue : IJobQueue, IAsyncDisposable
{
    /// <summary>How long after a dead worker's lease would lapse the delivery is looked at again.</summary>
    private static readonly TimeSpan LapseMargin = TimeSpan.FromMilliseconds(250);
    /// <summary>How long a delivery waits before another try when the database could not be reached.</summary>
    private static readonly TimeSpan TakeRetry = TimeSpan.FromSeconds(1);

    private readonly SqlJobQueue _table;
    private readonly RabbitJobQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IConnection _connection;
    private readonly IChannel _publisher;
    private readonly IChannel _consumer;
    private readonly SemaphoreSlim _publishLock = new(1, 1);
    private readonly SemaphoreSlim _settleLock = new(1, 1);
    private readonly Channel<JobDelivery> _deliveries = Channel.CreateUnbounded<JobDelivery>();
    /// <summary>The delivery tag behind each lease this node holds, by lease token: acked or nacked when the lease ends.</summary>
    private readonly ConcurrentDictionary<string, JobDelivery> _held = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Lazy<Task> _consuming;
    /// <summary>The periodic sweep (<see cref="SweepAsync"/>), started once connected.</summary>
    private Task _sweeping = Task.CompletedTask;

    private RabbitJobQueue(SqlJobQueue table, RabbitJobQueueOptions options, IConnection connection, IChannel publisher, IChannel consumer,
        TimeProvider time, ILogger logger)
    {
        _table = table;
        _options = options;
        _connection = connection;
        _publisher = publisher;
        _consumer = consumer;
        _time = time;
        _logger = logger;
        _consuming = new Lazy<Task>(StartConsumingAsync);
        _connection.RecoverySucceededAsync += (_, _) => ReconcileAfterRecoveryAsync();
    }

    /// <summary>The table behind the queue, where job state lives.</summary>
    public SqlJobQueue Table => _table;

    public async Task<bool> EnqueueAsync(string jobId, int priority, DateTimeOffset? notBefore, CancellationToken cancellationToken)
    {
        var added = await _table.EnqueueAsync(jobId, priority, notBefore, published: true, cancellationToken).ConfigureAwait(false);
        if (added)
        {
            var now = _time.GetUtcNow();
            if (!await TryPublishAsync(jobId, priority, (notBefore ?? now) - now, cancellationToken).ConfigureAwait(false))
                await MarkUnpublishedAsync(jobId, cancellationToken).ConfigureAwait(false);
        }
        return added;
    }

    /// <summary>Takes the next job among the deliveries that have already arrived; null at once when there is none.</summary>
    public async Task<JobLease?> TryDequeueAsync(string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        await _consuming.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        while (_deliveries.Reader.TryRead(out var delivery))
        {
            if (await TakeAsync(delivery, workerId, leaseDuration, cancellationToken).ConfigureAwait(false) is { } lease) return lease;
        }
        return null;
    }

    /// <summary>Waits for the broker to deliver a job this node can take: idle workers sleep on the delivery channel.</summary>
    public async Task<JobLease> DequeueAsync(string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        await _consuming.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var delivery = await _deliveries.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (await TakeAsync(delivery, workerId, leaseDuration, cancellationToken).ConfigureAwait(false) is { } lease) return lease;
        }
    }

    public async Task<JobLease?> ExtendLeaseAsync(JobLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        var extended = await _table.ExtendLeaseAsync(lease, leaseDuration, cancellationToken).ConfigureAwait(false);
        if (extended is null)
        {
            // The lease lapsed during a stall: give the message back, so whoever may take the job has one.
            await SettleAsync(lease, ack: false).ConfigureAwait(false);
        }
        return extended;
    }

    /// <summary>Deletes the job's row, then acks its delivery: the ack comes only once the run's outcome is recorded.</summary>
    public async Task<bool> CompleteAsync(JobLease lease, CancellationToken cancellationToken)
    {
        var done = await _table.CompleteAsync(lease, cancellationToken).ConfigureAwait(false);
        await SettleAsync(lease, ack: done).ConfigureAwait(false);
        return done;
    }

    public Task<bool> RemoveWaitingAsync(string jobId, CancellationToken cancellationToken) =>
        // Its message stays in the broker and is dropped when delivered: the row is gone.
        _table.RemoveWaitingAsync(jobId, cancellationToken);

    /// <summary>Gives the job back in the database, publishes it again (delayed), then acks the old delivery.</summary>
    public async Task<bool> ReleaseAsync(JobLease lease, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        var released = await _table.ReleaseAsync(lease, retryAfter, cancellationToken).ConfigureAwait(false);
        var published = released && await TryPublishAsync(lease.JobId, lease.Priority, retryAfter, cancellationToken).ConfigureAwait(false);
        // Not published: the old message goes back to the broker instead, and its next delivery publishes the delay; should
        // that message be lost too, the sweep publishes the job once it sees the failed publish.
        await SettleAsync(lease, ack: published).ConfigureAwait(false);
        if (released && !published) await MarkUnpublishedAsync(lease.JobId, cancellationToken).ConfigureAwait(false);
        return released;
    }

    /// <summary>
    /// Returns lapsed and this node's orphaned leases to the queue (as the table does), then publishes every waiting
    /// job again: the broker may have lost messages, or never got them (a publish failed, the broker was replaced).
    /// </summary>
    public async Task<int> RecoverAsync(string? ownerPrefix, CancellationToken cancellationToken)
    {
        var released = await _table.RecoverAsync(ownerPrefix, cancellationToken).ConfigureAwait(false);
        await ReconcileAsync(cancellationToken).ConfigureAwait(false);
        return released;
    }

    /// <summary>Publishes every job the database says is waiting, ready or delayed; returns how many were published.</summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var waiting = await _table.ClaimRepublishAsync(DateTimeOffset.MaxValue, int.MaxValue, cancellationToken).ConfigureAwait(false);
        var published = await PublishClaimedAsync(waiting, now, cancellationToken).ConfigureAwait(false);
        RabbitLog.Reconciled(_logger, published);
        return published;
    }

    public Task<QueueCounts> CountAsync(CancellationToken cancellationToken) => _table.CountAsync(cancellationToken);

    /// <summary>
    /// Takes the job a delivery names, in the database. A delivery that does not lead to a lease is settled here: acked
    /// when it is a duplicate, published again with the remaining delay when the job is delayed, or held until a
    /// possibly dead worker's lease would lapse.
    /// </summary>
    private async Task<JobLease?> TakeAsync(JobDelivery delivery, string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        try
        {
            if (await _table.TryLeaseAsync(delivery.JobId, workerId, leaseDuration, cancellationToken).ConfigureAwait(false) is { } lease)
            {
                _held[lease.Token] = delivery;
                _ = WatchAsync(lease.Token, delivery, leaseDuration);
                return lease;
            }
            var queued = await _table.FindAsync(delivery.JobId, cancellationToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            if (queued is null)
            {
                await SettleAsync(delivery, ack: true, "the job is no longer queued").ConfigureAwait(false);
            }
            else if (!queued.IsLeased)
            {
                // Delayed (a retry not yet due): it goes back to the broker with the time it still has to wait.
                if (await TryPublishAsync(queued.JobId, queued.Priority, queued.AvailableAt - now, cancellationToken).ConfigureAwait(false))
                    await SettleAsync(delivery, ack: true, "published again with its delay").ConfigureAwait(false);
                else Defer(delivery, TakeRetry);
            }
            else if (delivery.HolderSeenUntil is { } seen && queued.LeaseExpiresAt > seen)
            {
                // The holder extended its lease since we looked, so it is alive and holds a delivery of its own.
                await SettleAsync(delivery, ack: true, "another worker holds the job").ConfigureAwait(false);
            }
            else
            {
                // The holder may be a worker that died (its node's deliveries came here): look again once its lease would lapse.
                var wait = queued.LeaseExpiresAt!.Value - now + LapseMargin;
                RabbitLog.Deferred(_logger, delivery.JobId, wait);
                Defer(delivery with { HolderSeenUntil = queued.LeaseExpiresAt }, wait);
            }
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // shutting down: the unacked delivery goes back to the broker when the connection closes
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RabbitLog.TakeFailed(_logger, delivery.JobId, ex.Message);
            Defer(delivery, TakeRetry);
            return null;
        }
    }

    /// <summary>
    /// Looks at a held lease once per lease duration. A worker that stopped on an error completes nothing and extends
    /// nothing, so its lease lapses while this node still holds the delivery (the broker gives it to nobody else): the
    /// delivery is then put back in front of this node's workers, who take the lapsed lease as the table's dequeue would.
    /// </summary>
    private async Task WatchAsync(string token, JobDelivery delivery, TimeSpan leaseDuration)
    {
        try
        {
            while (true)
            {
                await Task.Delay(leaseDuration + LapseMargin, _time, _closing.Token).ConfigureAwait(false);
                if (!_held.ContainsKey(token)) return;
                QueuedJob? queued;
                try
                {
                    queued = await _table.FindAsync(delivery.JobId, _closing.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    RabbitLog.TakeFailed(_logger, delivery.JobId, ex.Message);
                    continue; // the database is unreachable: look again at the next tick
                }
                if (queued?.LeaseExpiresAt is { } expires && expires > _time.GetUtcNow()) continue; // alive: the heartbeat extends it
                if (!_held.TryRemove(token, out _)) return;
                _deliveries.Writer.TryWrite(delivery with { HolderSeenUntil = null });
                return;
            }
        }
        catch (OperationCanceledException)
        {
            // Closing: the unacked delivery goes back to the broker with the connection.
        }
    }

    /// <summary>Puts a delivery back in front of this node's workers after <paramref name="wait"/>.</summary>
    private void Defer(JobDelivery delivery, TimeSpan wait) => _ = DeferAsync(delivery, wait);

    private async Task DeferAsync(JobDelivery delivery, TimeSpan wait)
    {
        try
        {
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time, _closing.Token).ConfigureAwait(false);
            _deliveries.Writer.TryWrite(delivery);
        }
        catch (OperationCanceledException)
        {
            // Closing: the unacked delivery goes back to the broker with the connection.
        }
    }

    public static async Task<RabbitJobQueue> ConnectAsync(SqlJobQueue table, RabbitJobQueueOptions options, TimeProvider? time = null,
        ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Prefetch, 1);
        var factory = new ConnectionFactory
        {
            Uri = options.Uri,
            ClientProvidedName = options.ClientName ?? "conduit",
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
        };
        var connection = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Publisher confirms with tracking: a publish returns once the broker has taken the message (PublishException otherwise).
            var publisher = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                cancellationToken).ConfigureAwait(false);
            var consumer = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await DeclareAsync(publisher, options.QueueName, cancellationToken).ConfigureAwait(false);
            var log = logger ?? NullLogger.Instance;
            RabbitLog.Connected(log, options.QueueName, options.Prefetch);
            var queue = new RabbitJobQueue(table, options, connection, publisher, consumer, time ?? TimeProvider.System, log);
            if (options.RepublishInterval > TimeSpan.Zero) queue._sweeping = queue.SweepLoopAsync();
            return queue;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
