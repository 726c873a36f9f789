using RabbitMQ.Client.Exceptions;

namespace Conduit.Pipeline.Queue;

/// <summary>
/// The sweep of <see cref="RabbitJobQueue"/>: what keeps a waiting job from stalling in the database when the broker
/// never got its id (a publish failed or was nacked) or lost it. The start-up and connection-recovery reconciliations
/// catch those only when they happen; the sweep runs every <see cref="RabbitJobQueueOptions.RepublishInterval"/>.
/// </summary>
public sealed partial class RabbitJobQueue
{
    /// <summary>At most this many jobs are published per sweep; the rest wait for the next one.</summary>
    private const int SweepLimit = 500;

    private async Task SweepLoopAsync()
    {
        try
        {
            using var timer = new PeriodicTimer(_options.RepublishInterval, _time);
            while (await timer.WaitForNextTickAsync(_closing.Token).ConfigureAwait(false))
            {
                try
                {
                    await SweepAsync(_closing.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The broker or the database is unreachable: the next tick tries again.
                    RabbitLog.SweepFailed(_logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Closing.
        }
    }

    /// <summary>
    /// Publishes again every waiting job whose last publish failed, and, when the broker's queue holds no ready job id
    /// at all, every job due for a whole interval that nobody took. Job ids still waiting in the broker mean workers
    /// are draining it and a due job is most likely among them: republishing then would only pile duplicates onto a
    /// backlog. Each job is claimed in the database first, so several nodes' sweeps publish it once. Returns how many
    /// were published.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var ready = await CountReadyAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var claimed = await _table.ClaimRepublishAsync(ready == 0 ? now - _options.RepublishInterval : null, SweepLimit, cancellationToken)
            .ConfigureAwait(false);
        var published = await PublishClaimedAsync(claimed, now, cancellationToken).ConfigureAwait(false);
        if (claimed.Count > 0) RabbitLog.Swept(_logger, published, claimed.Count, ready);
        return published;
    }

    /// <summary>Publishes claimed jobs (delayed ones with the time they still have to wait); a failure is recorded for the next sweep.</summary>
    private async Task<int> PublishClaimedAsync(IReadOnlyList<QueuedJob> claimed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var published = 0;
        foreach (var job in claimed)
        {
            if (await TryPublishAsync(job.JobId, job.Priority, job.AvailableAt - now, cancellationToken).ConfigureAwait(false)) published++;
            else await MarkUnpublishedAsync(job.JobId, cancellationToken).ConfigureAwait(false);
        }
        return published;
    }

    /// <summary>The job ids ready in the broker's main queue (not those handed to consumers and unacked).</summary>
    private async Task<uint> CountReadyAsync(CancellationToken cancellationToken)
    {
        await _publishLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Declared again (idempotent, same arguments) rather than passively: a passive declare of a queue someone
            // deleted would close the publishing channel; this puts the queue back instead.
            return (await DeclareAsync(_publisher, _options.QueueName, cancellationToken).ConfigureAwait(false)).MessageCount;
        }
        finally
        {
            _publishLock.Release();
        }
    }

    /// <summary>Records a failed publish so the next sweep retries it; the job is safe in the database whatever happens here.</summary>
    private async Task MarkUnpublishedAsync(string jobId, CancellationToken cancellationToken)
    {
        try
        {
            await _table.MarkUnpublishedAsync(jobId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not AlreadyClosedException)
        {
            // Not recorded: the job still counts as published at its enqueue, and the sweep takes it once it has been
            // due, untaken, for a whole interval.
            RabbitLog.SweepFailed(_logger, ex.Message);
        }
    }
}
