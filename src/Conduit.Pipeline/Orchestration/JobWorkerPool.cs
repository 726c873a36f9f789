using Conduit.Pipeline.Queue;
using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Orchestration;

/// <summary>
/// <see cref="Concurrency"/> workers, each taking the next job from the durable queue (highest priority, then oldest)
/// and running it. Worker ids start with the node id, so that a restarted node can take back at once what its
/// previous run held (<see cref="IJobQueue.RecoverAsync"/>) instead of waiting for those leases to lapse.
/// </summary>
public sealed partial class JobWorkerPool(IJobQueue queue, JobRunner runner, string nodeId, int concurrency, JobRunnerSettings settings,
    ILogger<JobWorkerPool> logger)
{
    public int Concurrency { get; } = concurrency;

    public string WorkerPrefix => nodeId + "/";

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(1, Concurrency).Select(n => WorkerAsync($"{WorkerPrefix}w{n}", cancellationToken)));

    private async Task WorkerAsync(string workerId, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            JobLease lease;
            try
            {
                lease = await queue.DequeueAsync(workerId, settings.LeaseDuration, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            try
            {
                await runner.RunAsync(lease, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // shutting down: the lease lapses or the next start recovers it, and the job runs again
            }
            catch (Exception ex)
            {
                // A bug or an outage of the store: the job stays leased until the lease lapses, then runs again.
                LogWorkerError(logger, ex, workerId, lease.JobId);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 3401, Level = LogLevel.Error, Message = "Worker {Worker}: job {JobId} stopped on an unexpected error; it will run again when its lease lapses")]
    private static partial void LogWorkerError(ILogger logger, Exception exception, string worker, string jobId);
}
