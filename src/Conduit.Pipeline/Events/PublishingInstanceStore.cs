using Conduit.Pipeline.Grouping;
using Conduit.Pipeline.Store;

namespace Conduit.Pipeline.Events;

/// <summary>
/// An <see cref="IInstanceStore"/> that publishes each recorded instance and each closed batch to the
/// <see cref="ChangeFeed"/>, once the store committed it. The ingest coordinator is the only writer of both, for every
/// source (C-STORE, STOW-RS, uploads, watched folders).
/// </summary>
public sealed class PublishingInstanceStore(IInstanceStore inner, ChangeFeed feed) : IInstanceStore
{
    public async Task<RecordedInstance> RecordAsync(InstanceRecord instance, IReadOnlyList<BatchMembership> batches,
        CancellationToken cancellationToken)
    {
        var recorded = await inner.RecordAsync(instance, batches, cancellationToken).ConfigureAwait(false);
        // One event record per instance only when someone listens (ChangeFeed.HasSubscribers says why this cannot race).
        if (feed.HasSubscribers)
            feed.Publish(new ChangeEvent(ChangeKind.Instance, instance.SopInstanceUid, recorded.Replaced ? "replaced" : "stored",
                StudyInstanceUid: instance.StudyInstanceUid, SeriesInstanceUid: instance.SeriesInstanceUid));
        return recorded;
    }

    public async Task<bool> CloseBatchAsync(string batchId, BatchCloseReason reason, string? detail, CancellationToken cancellationToken)
    {
        var closed = await inner.CloseBatchAsync(batchId, reason, detail, cancellationToken).ConfigureAwait(false);
        if (closed && feed.HasSubscribers) feed.Publish(new ChangeEvent(ChangeKind.Batch, batchId, "closed"));
        return closed;
    }

    public Task<StoredInstance?> GetInstanceAsync(string sopInstanceUid, CancellationToken cancellationToken) =>
        inner.GetInstanceAsync(sopInstanceUid, cancellationToken);

    public Task<IReadOnlyList<BatchRecord>> ListOpenBatchesAsync(CancellationToken cancellationToken) => inner.ListOpenBatchesAsync(cancellationToken);

    public Task<IReadOnlyList<BatchRecord>> ClaimOpenBatchesAsync(string owner, TimeSpan ownerLapse, bool includeOwn,
        CancellationToken cancellationToken) => inner.ClaimOpenBatchesAsync(owner, ownerLapse, includeOwn, cancellationToken);

    public Task<BatchRecord?> GetBatchAsync(string batchId, CancellationToken cancellationToken) => inner.GetBatchAsync(batchId, cancellationToken);

    public Task<IReadOnlyList<BatchRecord>> ListClosedBatchesWithoutJobAsync(CancellationToken cancellationToken) =>
        inner.ListClosedBatchesWithoutJobAsync(cancellationToken);

    public Task MarkBatchWithoutJobAsync(string batchId, string reason, CancellationToken cancellationToken) =>
        inner.MarkBatchWithoutJobAsync(batchId, reason, cancellationToken);

    public Task<IReadOnlyList<StoredInstance>> ListBatchInstancesAsync(string batchId, CancellationToken cancellationToken) =>
        inner.ListBatchInstancesAsync(batchId, cancellationToken);

    public Task<IReadOnlyList<StudySummary>> ListStudiesAsync(int limit, CancellationToken cancellationToken) => inner.ListStudiesAsync(limit, cancellationToken);

    public Task<SeriesSummary?> GetSeriesAsync(string seriesInstanceUid, CancellationToken cancellationToken) =>
        inner.GetSeriesAsync(seriesInstanceUid, cancellationToken);

    public Task<IReadOnlyList<StudyMatch>> SearchStudiesAsync(StudyQuery query, CancellationToken cancellationToken) =>
        inner.SearchStudiesAsync(query, cancellationToken);

    public Task<IReadOnlyList<SeriesSummary>> ListStudySeriesAsync(string studyInstanceUid, CancellationToken cancellationToken) =>
        inner.ListStudySeriesAsync(studyInstanceUid, cancellationToken);

    public Task<IReadOnlyList<StoredInstance>> ListStudyInstancesAsync(string studyInstanceUid, string? seriesInstanceUid,
        CancellationToken cancellationToken) =>
        inner.ListStudyInstancesAsync(studyInstanceUid, seriesInstanceUid, cancellationToken);
}
