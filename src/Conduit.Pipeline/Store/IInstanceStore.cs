using Conduit.Pipeline.Grouping;

namespace Conduit.Pipeline.Store;

/// <summary>
/// The patient/study/series/instance rows and the batches that group them. Recording is one transaction: when
/// <see cref="RecordAsync"/> returns, the instance is durable and may be acknowledged to its sender.
/// </summary>
public interface IInstanceStore
{
    /// <summary>
    /// Records the instance with its patient, study and series rows (created or updated) and adds it to each batch
    /// in <paramref name="batches"/> (the batches of the flows it matched), all in one transaction. A batch given
    /// without an id is the open one for its key, or a new one when none is open: a late instance after a batch
    /// closed therefore starts a new batch. A second instance with the same SOP Instance UID replaces the row and
    /// is not counted twice in a batch.
    /// </summary>
    Task<RecordedInstance> RecordAsync(InstanceRecord instance, IReadOnlyList<BatchMembership> batches,
        CancellationToken cancellationToken);

    Task<StoredInstance?> GetInstanceAsync(string sopInstanceUid, CancellationToken cancellationToken);

    /// <summary>Open batches of every node, oldest last instance first.</summary>
    Task<IReadOnlyList<BatchRecord>> ListOpenBatchesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The open batches node <paramref name="owner"/> is to fill, made its own in one update: its own (with
    /// <paramref name="includeOwn"/>, at start-up), those of no node, and those of a node that is gone (no heartbeat
    /// within <paramref name="ownerLapse"/>, and no instance added within it either). Oldest last instance first. Two
    /// nodes claiming at once never both get a batch: the second finds it owned by a live node.
    /// </summary>
    Task<IReadOnlyList<BatchRecord>> ClaimOpenBatchesAsync(string owner, TimeSpan ownerLapse, bool includeOwn,
        CancellationToken cancellationToken);

    Task<BatchRecord?> GetBatchAsync(string batchId, CancellationToken cancellationToken);

    /// <summary>
    /// Closes an open batch with the signal that closed it and a description; false when it was already closed
    /// (someone else closed it first).
    /// </summary>
    Task<bool> CloseBatchAsync(string batchId, BatchCloseReason reason, string? detail, CancellationToken cancellationToken);

    /// <summary>
    /// Closed batches that have no job and no recorded reason for having none: work a crash interrupted between
    /// closing a batch and creating its job. Start-up recovery creates their jobs.
    /// </summary>
    Task<IReadOnlyList<BatchRecord>> ListClosedBatchesWithoutJobAsync(CancellationToken cancellationToken);

    /// <summary>Records why a closed batch made no job (its flow is gone, or its triggers vetoed it), so recovery leaves it be.</summary>
    Task MarkBatchWithoutJobAsync(string batchId, string reason, CancellationToken cancellationToken);

    /// <summary>The instances of a batch, in the order they were added.</summary>
    Task<IReadOnlyList<StoredInstance>> ListBatchInstancesAsync(string batchId, CancellationToken cancellationToken);

    /// <summary>Studies, most recently updated first.</summary>
    Task<IReadOnlyList<StudySummary>> ListStudiesAsync(int limit, CancellationToken cancellationToken);

    Task<SeriesSummary?> GetSeriesAsync(string seriesInstanceUid, CancellationToken cancellationToken);

    /// <summary>Studies matching a search (QIDO-RS), newest study date first.</summary>
    Task<IReadOnlyList<StudyMatch>> SearchStudiesAsync(StudyQuery query, CancellationToken cancellationToken);

    /// <summary>The series of a study, by series number.</summary>
    Task<IReadOnlyList<SeriesSummary>> ListStudySeriesAsync(string studyInstanceUid, CancellationToken cancellationToken);

    /// <summary>The instances of a study, or of one of its series, by series then instance number.</summary>
    Task<IReadOnlyList<StoredInstance>> ListStudyInstancesAsync(string studyInstanceUid, string? seriesInstanceUid,
        CancellationToken cancellationToken);
}
