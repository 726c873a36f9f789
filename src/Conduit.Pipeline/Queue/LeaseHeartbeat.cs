using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.Pipeline.Queue;

/// <summary>
/// Keeps a worker's lease alive while it runs a job: extends it every third of the lease duration, so a live worker
/// never loses its job and a dead one loses it within one duration. When an extension finds the lease gone (it
/// lapsed during a stall and another worker took the job), <see cref="LeaseLost"/> is cancelled: the worker must stop
/// and must not record the job's outcome. A failed extension (database busy) is retried at the next tick.
/// </summary>
public sealed class LeaseHeartbeat : IAsyncDisposable
{
    private readonly IJobQueue _queue;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly Task _loop;
    private JobLease _lease;

    private LeaseHeartbeat(IJobQueue queue, JobLease lease, TimeSpan duration, TimeProvider time, ILogger logger)
    {
        _queue = queue;
        _lease = lease;
        _duration = duration;
        _time = time;
        _logger = logger;
        // Runs synchronously up to its first delay, so the timer exists when Start returns.
        _loop = RunAsync();
    }

    /// <summary>The lease as last extended.</summary>
    public JobLease Lease => Volatile.Read(ref _lease);

    /// <summary>Cancelled when the lease was found lost.</summary>
    public CancellationToken LeaseLost => _lost.Token;

    public static LeaseHeartbeat Start(IJobQueue queue, JobLease lease, TimeSpan leaseDuration, TimeProvider? time = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        return new LeaseHeartbeat(queue, lease, leaseDuration, time ?? TimeProvider.System, logger ?? NullLogger.Instance);
    }

    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(_duration / 3, _time, _stop.Token).ConfigureAwait(false);
                JobLease? extended;
                try
                {
                    extended = await _queue.ExtendLeaseAsync(Lease, _duration, _stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    QueueLog.ExtendFailed(_logger, Lease.JobId, e.Message);
                    continue;
                }
                if (extended is null)
                {
                    await _lost.CancelAsync().ConfigureAwait(false);
                    return;
                }
                Volatile.Write(ref _lease, extended);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed: the worker is done with the job.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _lost.Dispose();
    }
}
