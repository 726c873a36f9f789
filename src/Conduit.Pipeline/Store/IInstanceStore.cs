namespace Conduit.Pipeline.Store;

/// <summary>
/// The patient/study/series/instance rows and the batches that group them. Recording is one transaction: when
/// <see cref="RecordAsync"/> returns, the instance is durable and may be acknowledged to its sender.
/// </summary>
public interface IInstanceStore
{
    /// <summary>
    /// Records the instance with its patient, study and series rows (created or updated) and adds it to the open
    /// series batch and the open study batch, opening them when none is open (a late instance after a batch closed
    /// therefore starts a new batch). A second instance with the same SOP Instance UID replaces the row.
    /// </summary>
    Task<RecordedInstance> RecordAsync(InstanceRecord instance, CancellationToken cancellationToken);

    Task<StoredInstance?> GetInstanceAsync(string sopInstanceUid, CancellationToken cancellationToken);

    /// <summary>Open batches, oldest last instance first: what the grouping layer checks for completeness.</summary>
    Task<IReadOnlyList<BatchRecord>> ListOpenBatchesAsync(CancellationToken cancellationToken);

    Task<BatchRecord?> GetBatchAsync(string batchId, CancellationToken cancellationToken);

    /// <summary>Closes an open batch with its reason; false when it was already closed (someone else closed it first).</summary>
    Task<bool> CloseBatchAsync(string batchId, string reason, CancellationToken cancellationToken);

    /// <summary>The instances of a batch, in the order they were added.</summary>
    Task<IReadOnlyList<StoredInstance>> ListBatchInstancesAsync(string batchId, CancellationToken cancellationToken);

    /// <summary>Studies, most recently updated first.</summary>
    Task<IReadOnlyList<StudySummary>> ListStudiesAsync(int limit, CancellationToken cancellationToken);

    Task<SeriesSummary?> GetSeriesAsync(string seriesInstanceUid, CancellationToken cancellationToken);
}
