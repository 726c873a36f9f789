using Conduit.Dicom;
using Conduit.Pipeline.Flows.Catalog;
using Conduit.Pipeline.Flows.Matching;
using Conduit.Pipeline.Flows.Model;
using Conduit.Pipeline.Grouping;
using Conduit.Pipeline.Ingest;
using Conduit.Pipeline.Jobs;
using Conduit.Pipeline.Queue;
using Conduit.Pipeline.Store;
using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Orchestration;

/// <summary>
/// Turns a complete batch into a job of its flow and queues it at the flow's priority. A flow whose triggers judge
/// the whole batch (DicomFlow: every trigger map must be matched by some instance, and an excluded pattern vetoes)
/// is checked here; a batch that makes no job says why, so recovery does not try again.
/// </summary>
public sealed partial class JobCreator(
    IInstanceStore store,
    IJobRepository jobs,
    IJobQueue queue,
    FlowCatalog catalog,
    IInstanceFileLayout layout,
    ILogger<JobCreator> logger) : IBatchClosedHandler
{
    public async Task OnBatchClosedAsync(ClosedBatch batch, CancellationToken cancellationToken)
    {
        var record = await store.GetBatchAsync(batch.BatchId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"batch {batch.BatchId} is not in the store");
        await CreateAsync(record, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the jobs of batches a crash left closed without one. Returns how many.</summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        var created = 0;
        foreach (var batch in await store.ListClosedBatchesWithoutJobAsync(cancellationToken).ConfigureAwait(false))
            if (await CreateAsync(batch, cancellationToken).ConfigureAwait(false) is not null) created++;
        return created;
    }

    private async Task<JobRecord?> CreateAsync(BatchRecord batch, CancellationToken cancellationToken)
    {
        var flow = catalog.Current.Find(batch.Flow);
        if (flow is null)
            return await NoJobAsync(batch, $"flow '{batch.Flow}' is no longer loaded", cancellationToken).ConfigureAwait(false);

        var instances = await store.ListBatchInstancesAsync(batch.Id, cancellationToken).ConfigureAwait(false);
        if (instances.Count == 0)
            return await NoJobAsync(batch, "the batch holds no instance", cancellationToken).ConfigureAwait(false);
        if (flow.Triggers.Mode != TriggerMode.AnyMap)
        {
            var verdict = flow.Triggers.EvaluateBatch(instances.Select(i => (ITagValues)new DatasetTagValues(
                DicomFile.Open(layout.Resolve(i.Path), DicomReadOptions.HeaderOnly).Dataset)));
            if (!verdict.Matched)
                return await NoJobAsync(batch, $"triggers not met: {verdict.Reason}", cancellationToken).ConfigureAwait(false);
        }

        var job = await jobs.CreateAsync(new NewJob(flow.Name, flow.Version, flow.Priority, batch.Id, batch.StudyInstanceUid,
            flow.StepsInOrder.Select(s => s.Name).ToList(), flow.Destinations.Select(d => d.Name).ToList()), cancellationToken).ConfigureAwait(false);
        await queue.EnqueueAsync(job.Id, job.Priority, null, cancellationToken).ConfigureAwait(false);
        LogJobCreated(logger, job.Id, flow.Name, batch.Id, instances.Count, job.Priority);
        return job;
    }

    private async Task<JobRecord?> NoJobAsync(BatchRecord batch, string reason, CancellationToken cancellationToken)
    {
        await store.MarkBatchWithoutJobAsync(batch.Id, reason, cancellationToken).ConfigureAwait(false);
        LogNoJob(logger, batch.Id, batch.Flow, reason);
        return null;
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Job {JobId} created for flow {Flow} from batch {BatchId} ({Instances} instances, priority {Priority})")]
    private static partial void LogJobCreated(ILogger logger, string jobId, string flow, string batchId, int instances, int priority);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Batch {BatchId} of flow {Flow} makes no job: {Reason}")]
    private static partial void LogNoJob(ILogger logger, string batchId, string flow, string reason);
}
