using System.Threading.Channels;
using Conduit.Pipeline.Grouping;
using Conduit.Pipeline.Store;
using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Ingest;

/// <summary>
/// The one loop through which every received instance is recorded and every batch is closed. Serialising these on
/// one task removes the races between "add to the open batch" and "close the batch" (an instance is either in the
/// batch before it closes, or opens the next one), and costs nothing: the store has a single writer anyway.
/// Callers await <see cref="RecordAsync"/>: when it returns the instance is durable in the store and may be
/// acknowledged to its sender. Closed batches go to <see cref="IBatchClosedHandler"/> (which creates jobs).
/// </summary>
public sealed partial class IngestCoordinator(
    IInstanceStore store,
    BatchTracker tracker,
    IBatchClosedHandler onClosed,
    ILogger<IngestCoordinator> logger)
{
    /// <summary>Bounded, so a flood of senders waits for the store rather than growing memory.</summary>
    /// <summary>At most this many instances are written in one go (one transaction, one sync).</summary>
    private const int MaxGroup = 64;

    private readonly Channel<Work> _work = Channel.CreateBounded<Work>(new BoundedChannelOptions(1024) { SingleReader = true });

    public BatchTracker Tracker => tracker;

    /// <summary>Records the instance and adds it to its flows' batches; completes once it is committed.</summary>
    public async Task<RecordedInstance> RecordAsync(PendingInstance instance, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<RecordedInstance>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _work.Writer.WriteAsync(new Work(instance, null, done), cancellationToken).ConfigureAwait(false);
        return await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A delivery session (association, HTTP request, folder batch) ended: a completeness signal.</summary>
    public ValueTask DeliveryEndedAsync(string deliveryId, CancellationToken cancellationToken) =>
        _work.Writer.WriteAsync(new Work(null, deliveryId, null), cancellationToken);

    /// <summary>
    /// Makes the loop look at the tracker again: a batch was put into it from outside (another node's, adopted), so
    /// the next closing may be sooner than the loop is waiting for.
    /// </summary>
    public ValueTask WakeAsync(CancellationToken cancellationToken) =>
        _work.Writer.WriteAsync(new Work(null, null, null), cancellationToken);

    /// <summary>Runs until cancelled; pending callers then get a cancellation.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var time = tracker.Time;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await DrainAsync(cancellationToken).ConfigureAwait(false);

                foreach (var closed in tracker.Poll())
                    await CloseAsync(closed, cancellationToken).ConfigureAwait(false);

                var next = tracker.NextDueAt();
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = next is { } due ? Max(due - time.GetUtcNow(), TimeSpan.Zero) : Timeout.InfiniteTimeSpan;
                var timer = Task.Delay(delay, time, wake.Token);
                var readable = _work.Reader.WaitToReadAsync(wake.Token).AsTask();
                await Task.WhenAny(timer, readable).ConfigureAwait(false);
                await wake.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(timer, readable).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
        finally
        {
            while (_work.Reader.TryRead(out var work)) work.Done?.TrySetCanceled(cancellationToken);
        }
    }

    /// <summary>
    /// Records everything waiting. Instances that arrive together (several associations at once) are written
    /// concurrently, so the store's writer commits them in one transaction and one disk sync; a delivery's end is
    /// applied only after the instances queued before it.
    /// </summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var group = new List<Work>();
        while (_work.Reader.TryRead(out var work))
        {
            if (work.DeliveryEnded is { } deliveryId)
            {
                await RecordAsync(group, cancellationToken).ConfigureAwait(false);
                tracker.AssociationEnded(deliveryId);
                continue;
            }
            if (work.Instance is null) continue; // a wake-up: the loop polls the tracker after the drain
            group.Add(work);
            if (group.Count == MaxGroup) await RecordAsync(group, cancellationToken).ConfigureAwait(false);
        }
        await RecordAsync(group, cancellationToken).ConfigureAwait(false);
    }

    private async Task RecordAsync(List<Work> group, CancellationToken cancellationToken)
    {
        if (group.Count == 0) return;
        // The store learns the batch ids first (the tracker's open batch, or a fresh id shared by the group's
        // instances of one key), so that once the tracker knows an instance, the batch it may close holds it. The store
        // may use others (another node's open batch, or a new one when the named one was closed elsewhere) and says so.
        var reserved = new Dictionary<BatchKey, string>();
        var ids = group.Select(w => w.Instance!.Memberships.Select(m =>
            reserved.TryGetValue(m.Key, out var id) ? id : reserved[m.Key] = tracker.OpenBatchId(m.Key) ?? tracker.NewBatchId()).ToList()).ToList();
        var writes = group.Select((w, i) => store.RecordAsync(w.Instance!.Record,
            w.Instance.Memberships.Select((m, j) => BatchMembership.For(m.Key, ids[i][j])).ToList(), cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(writes).ConfigureAwait(false);
        }
        catch
        {
            // Each write's own outcome is read below: one refused instance does not fail the others.
        }
        for (var i = 0; i < group.Count; i++)
        {
            var (work, write) = (group[i], writes[i]);
            if (write.IsCompletedSuccessfully)
            {
                var (pending, recorded) = (work.Instance!, write.Result);
                for (var j = 0; j < pending.Memberships.Count; j++)
                {
                    // The tracker follows the batch the store actually used, which with several nodes on one database
                    // may not be the one reserved above (SqlInstanceStore.ChooseBatch).
                    var (m, batchId) = (pending.Memberships[j], recorded.BatchIds[j]);
                    if (recorded.OtherNodesBatchIds.Contains(batchId))
                    {
                        // Another node's open batch: the instance is in it, and this node does not track it. Its owner
                        // closes it, so a batch is closed by the node that owns it, and a closed batch of this node's own
                        // named again still means the tracker and the store disagree (refused). Tracking it here too
                        // would also be safe (CloseBatchAsync closes once, so one job), but would let this node's partial
                        // view of the series (its associations, its arrivals) close the owner's batch under it. The next
                        // instance here looks the open batch up again in the store.
                        tracker.Forget(m.Key);
                        LogJoinedOtherNodesBatch(logger, pending.Record.SopInstanceUid, m.Key.ToString(), batchId);
                        continue;
                    }
                    var added = tracker.AddTo(batchId, m.Key, m.Arrival, m.Rule);
                    if (added.FollowsClosedBatch) LogLateInstance(logger, pending.Record.SopInstanceUid, m.Key.ToString(), added.BatchId);
                }
                work.Done!.TrySetResult(recorded);
            }
            else if (write.IsCanceled)
            {
                work.Done!.TrySetCanceled(cancellationToken);
            }
            else
            {
                var error = write.Exception!.GetBaseException();
                LogRecordFailed(logger, error, work.Instance!.Record.SopInstanceUid);
                work.Done!.TrySetException(error);
            }
        }
        group.Clear();
    }

    private async Task CloseAsync(ClosedBatch closed, CancellationToken cancellationToken)
    {
        try
        {
            if (!await store.CloseBatchAsync(closed.BatchId, closed.Reason, closed.Describe(), cancellationToken).ConfigureAwait(false))
                return; // closed already (an operator, or a restart's recovery)
            LogBatchClosed(logger, closed.Key.ToString(), closed.BatchId, closed.Describe());
            await onClosed.OnBatchClosedAsync(closed, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The batch stays closed without a job; start-up recovery (JobCreator.RecoverAsync) creates it.
            LogCloseFailed(logger, ex, closed.BatchId);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed record Work(PendingInstance? Instance, string? DeliveryEnded, TaskCompletionSource<RecordedInstance>? Done);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Batch {Batch} ({BatchId}) closed: {Reason}")]
    private static partial void LogBatchClosed(ILogger logger, string batch, string batchId, string reason);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Instance {SopInstanceUid} arrived after {Batch} closed: it opens batch {BatchId}")]
    private static partial void LogLateInstance(ILogger logger, string sopInstanceUid, string batch, string batchId);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Debug, Message = "Instance {SopInstanceUid} joined {Batch} ({BatchId}), open on another node, which closes it")]
    private static partial void LogJoinedOtherNodesBatch(ILogger logger, string sopInstanceUid, string batch, string batchId);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Error, Message = "Instance {SopInstanceUid} could not be recorded; the sender gets a failure status")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string sopInstanceUid);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Error, Message = "Batch {BatchId} closed but its job could not be created now; start-up recovery will")]
    private static partial void LogCloseFailed(ILogger logger, Exception exception, string batchId);
}

/// <summary>What happens to a batch once it is complete: the pipeline creates its job.</summary>
public interface IBatchClosedHandler
{
    Task OnBatchClosedAsync(ClosedBatch batch, CancellationToken cancellationToken);
}
