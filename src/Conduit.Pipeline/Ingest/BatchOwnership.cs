using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Flows.Catalog;
using Conduit.Pipeline.Grouping;
using Conduit.Pipeline.Store;
using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Ingest;

/// <summary>
/// Which open batches this node fills, when several nodes share a database. Each batch belongs to the node that opened
/// it (<c>batches.node_id</c>); only that node's tracker closes it. A node that starts takes back its own open batches
/// (and those of no node, opened before batches had owners). Every node beats in <c>nodes</c>, and, at each beat,
/// adopts the open batches of a node that has not beaten for <see cref="Lapse"/>: a node that died leaves no series
/// open for good, and a node that is alive never has a batch closed under it by another's restart.
/// </summary>
public sealed partial class BatchOwnership(
    string nodeId,
    IInstanceStore store,
    SqlNodeRegistry nodes,
    IngestCoordinator coordinator,
    FlowCatalog catalog,
    GroupingOptions grouping,
    IInstanceFileLayout layout,
    ILogger<BatchOwnership> logger,
    TimeSpan? beat = null,
    TimeSpan? lapse = null,
    TimeProvider? time = null)
{
    /// <summary>How often a node beats and looks for a gone node's batches (<c>node.heartbeat_interval</c>).</summary>
    public TimeSpan Beat { get; } = beat ?? NodeOptions.DefaultHeartbeatInterval;

    /// <summary>How long a node may go without beating before it counts as gone (<c>node.lapse</c>).</summary>
    public TimeSpan Lapse { get; } = lapse ?? NodeOptions.DefaultLapse;

    /// <summary>Start-up: beats, then restores this node's open batches and those of no node or of a gone node; returns how many.</summary>
    public async Task<int> StartAsync(CancellationToken cancellationToken)
    {
        await nodes.BeatAsync(nodeId, starting: true, cancellationToken).ConfigureAwait(false);
        return await ClaimAsync(includeOwn: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Beats every <see cref="Beat"/> and adopts gone nodes' open batches, until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Beat, time ?? TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await nodes.BeatAsync(nodeId, starting: false, cancellationToken).ConfigureAwait(false);
                    var adopted = await ClaimAsync(includeOwn: false, cancellationToken).ConfigureAwait(false);
                    if (adopted > 0) await coordinator.WakeAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The database is unreachable: the next beat tries again (other nodes wait a whole lapse first).
                    LogBeatFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<int> ClaimAsync(bool includeOwn, CancellationToken cancellationToken)
    {
        var claimed = await store.ClaimOpenBatchesAsync(nodeId, Lapse, includeOwn, cancellationToken).ConfigureAwait(false);
        var restored = 0;
        foreach (var batch in claimed)
        {
            if (coordinator.Tracker.OpenBatchId(batch.Key) is not null) continue; // already filling it
            var flow = catalog.Current.Find(batch.Flow);
            var instances = await store.ListBatchInstancesAsync(batch.Id, cancellationToken).ConfigureAwait(false);
            var rule = CompletionRule.Default with
            {
                QuietTime = flow?.QuietTime ?? grouping.QuietTimeFor(instances.FirstOrDefault()?.Modality),
                RequiredSeries = flow?.SeriesRequirements() ?? [],
            };
            coordinator.Tracker.Restore(batch.Key, batch.Id, rule, batch.OpenedAt, batch.LastInstanceAt,
                instances.Select(i => InstanceIngestor.RestoredArrival(i, batch.Scope, rule, layout)));
            if (!includeOwn) LogAdopted(logger, batch.Key.ToString(), batch.Id, instances.Count);
            restored++;
        }
        return restored;
    }

    [LoggerMessage(EventId = 3110, Level = LogLevel.Warning, Message = "Adopted open batch {Batch} ({BatchId}, {Count} instance(s)) of a node that stopped beating; it closes here")]
    private static partial void LogAdopted(ILogger logger, string batch, string batchId, int count);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Warning, Message = "Could not beat or look for open batches of gone nodes; trying again at the next beat: {Error}")]
    private static partial void LogBeatFailed(ILogger logger, string error);
}
