namespace Conduit.Pipeline.Grouping;

/// <summary>
/// Decides when series and studies are complete, from the signals that arrive with them (see <see cref="CompletionRule"/>).
/// Pure state: callers feed it arrivals and association ends and ask <see cref="Poll"/> which batches closed and
/// <see cref="NextDueAt"/> when to ask again (<see cref="Ingest.IngestCoordinator"/> does the waiting). Persisting batches is the caller's job (the store): after a
/// restart, open batches are put back with <see cref="Restore"/>. Thread-safe.
/// </summary>
public sealed class BatchTracker
{
    /// <summary>How long a closed batch's key is remembered, to flag late instances.</summary>
    public static readonly TimeSpan LateInstanceMemory = TimeSpan.FromHours(24);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Func<string> _newBatchId;
    private readonly Dictionary<BatchKey, OpenBatch> _open = [];
    private readonly Dictionary<BatchKey, DateTimeOffset> _closed = [];

    public BatchTracker(TimeProvider? time = null, Func<string>? newBatchId = null)
    {
        _time = time ?? TimeProvider.System;
        _newBatchId = newBatchId ?? (() => Guid.NewGuid().ToString("N"));
    }

    public TimeProvider Time => _time;

    public int OpenCount
    {
        get { lock (_gate) return _open.Count; }
    }

    /// <summary>The id of the open batch for <paramref name="key"/>, or null when none is open.</summary>
    public string? OpenBatchId(BatchKey key)
    {
        lock (_gate) return _open.TryGetValue(key, out var batch) ? batch.Id : null;
    }

    /// <summary>A fresh batch id, for a caller that records a batch before adding its first instance here.</summary>
    public string NewBatchId() => _newBatchId();

    /// <summary>
    /// Adds a stored instance to the open batch for <paramref name="key"/>, opening one when there is none (with
    /// <paramref name="idIfOpening"/> as its id when given, so that the store and the tracker agree).
    /// </summary>
    public BatchAddResult Add(BatchKey key, InstanceArrival arrival, CompletionRule rule, string? idIfOpening = null)
    {
        var now = _time.GetUtcNow();
        lock (_gate) return AddLocked(key, arrival, rule, idIfOpening, now);
    }

    /// <summary>
    /// Adds a stored instance to <paramref name="batchId"/>, the batch the store put it in, so that the tracker follows
    /// the store. On one node that is the tracker's open batch for the key or the id it reserved to open one. With
    /// several nodes on one database the store may have used another: the tracker's open batch was closed by another
    /// node (it adopted it, this node having looked gone), and the instance opened or joined the next one. The batch the
    /// store no longer fills is dropped here without a closing (its closer made its job) and counts as closed, so the
    /// instance is reported as late.
    /// </summary>
    public BatchAddResult AddTo(string batchId, BatchKey key, InstanceArrival arrival, CompletionRule rule)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_open.TryGetValue(key, out var stale) && !string.Equals(stale.Id, batchId, StringComparison.Ordinal))
            {
                _open.Remove(key);
                _closed[key] = now;
            }
            return AddLocked(key, arrival, rule, batchId, now);
        }
    }

    /// <summary>
    /// Stops tracking the open batch for <paramref name="key"/> without closing it: the store says it belongs to
    /// another node now (one that adopted it while this node looked gone), and that node closes it.
    /// </summary>
    public void Forget(BatchKey key)
    {
        lock (_gate) _open.Remove(key);
    }

    /// <summary>Puts back a batch that was open before a restart. Its associations are gone, so only the count and quiet time can close it.</summary>
    public void Restore(BatchKey key, string batchId, CompletionRule rule, DateTimeOffset openedAt, DateTimeOffset lastArrival,
        IEnumerable<InstanceArrival> instances)
    {
        lock (_gate)
        {
            var batch = new OpenBatch(batchId, key, rule, openedAt);
            foreach (var instance in instances)
            {
                batch.Instances.Add(instance.SopInstanceUid);
                batch.Record(instance with { AssociationId = null }, lastArrival);
            }
            batch.LastArrival = lastArrival;
            _open[key] = batch;
        }
    }

    /// <summary>An association (or another delivery session, such as one HTTP upload) ended.</summary>
    public void AssociationEnded(string associationId)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            foreach (var batch in _open.Values)
            {
                if (!batch.DeliveringAssociations.Contains(associationId)) continue;
                batch.EndedAssociations.Add(associationId);
                batch.LastAssociationEnd = now;
            }
        }
    }

    /// <summary>Closes a batch now, whatever its signals say; null when it is not open.</summary>
    public ClosedBatch? Close(BatchKey key)
    {
        lock (_gate)
            return _open.TryGetValue(key, out var batch) ? CloseLocked(batch, BatchCloseReason.Forced, _time.GetUtcNow()) : null;
    }

    /// <summary>Closes and returns every batch whose completion signal is due.</summary>
    public IReadOnlyList<ClosedBatch> Poll()
    {
        var now = _time.GetUtcNow();
        List<ClosedBatch>? closed = null;
        lock (_gate)
        {
            foreach (var batch in _open.Values.ToList())
            {
                var (due, reason) = batch.NextClosure();
                if (due <= now) (closed ??= []).Add(CloseLocked(batch, reason, now));
            }
            if (_closed.Count > 0) PruneClosedLocked(now);
        }
        return closed ?? (IReadOnlyList<ClosedBatch>)[];
    }

    /// <summary>When the next batch is due to close, or null when no batch is open.</summary>
    public DateTimeOffset? NextDueAt()
    {
        lock (_gate)
        {
            DateTimeOffset? next = null;
            foreach (var batch in _open.Values)
            {
                var (due, _) = batch.NextClosure();
                if (next is null || due < next) next = due;
            }
            return next;
        }
    }

    private BatchAddResult AddLocked(BatchKey key, InstanceArrival arrival, CompletionRule rule, string? idIfOpening, DateTimeOffset now)
    {
        var opened = false;
        if (!_open.TryGetValue(key, out var batch))
        {
            batch = new OpenBatch(idIfOpening ?? _newBatchId(), key, rule, now);
            _open[key] = batch;
            opened = true;
        }
        var duplicate = !batch.Instances.Add(arrival.SopInstanceUid);
        batch.Record(arrival, now);
        return new BatchAddResult(batch.Id, opened, opened && _closed.ContainsKey(key), duplicate);
    }

    private ClosedBatch CloseLocked(OpenBatch batch, BatchCloseReason reason, DateTimeOffset now)
    {
        _open.Remove(batch.Key);
        _closed[batch.Key] = now;
        var missing = reason == BatchCloseReason.ExpectedCountReached || reason == BatchCloseReason.AssociationsEnded
            ? [] : batch.MissingRequirements();
        return new ClosedBatch(batch.Id, batch.Key, reason, batch.Instances.Count, batch.OpenedAt, now, missing);
    }

    private void PruneClosedLocked(DateTimeOffset now)
    {
        List<BatchKey>? stale = null;
        foreach (var (key, at) in _closed)
            if (now - at > LateInstanceMemory) (stale ??= []).Add(key);
        if (stale is null) return;
        foreach (var key in stale) _closed.Remove(key);
    }
}
