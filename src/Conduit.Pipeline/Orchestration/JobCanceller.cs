using Conduit.Pipeline.Jobs;
using Conduit.Pipeline.Queue;
using Conduit.Pipeline.Store;

namespace Conduit.Pipeline.Orchestration;

/// <summary>
/// An operator's cancel (<c>POST /api/v1/jobs/{id}/cancel</c>). The store is told first, so whatever happens next the
/// job is cancelled: a waiting job leaves the queue; a running one has its step stopped (its process or container
/// killed) by the worker, which then records the step as failed and completes its lease without delivering.
/// </summary>
public sealed class JobCanceller(IJobRepository jobs, IJobQueue queue, RunningJobs running)
{
    public async Task<CancelOutcome> CancelAsync(string jobId, string reason, CancellationToken cancellationToken)
    {
        var job = await jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (job is null) return new CancelOutcome(CancelResult.NotFound, null, false);
        if (JobTransitions.IsTerminal(job.Status)) return new CancelOutcome(CancelResult.AlreadyEnded, job, false);
        try
        {
            job = await jobs.TransitionAsync(jobId, JobStatus.Cancelled, reason, cancellationToken).ConfigureAwait(false);
        }
        catch (JobStateException)
        {
            // It ended (sent or failed) between the read and the transition.
            return new CancelOutcome(CancelResult.AlreadyEnded, await jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false), false);
        }
        await queue.RemoveWaitingAsync(jobId, cancellationToken).ConfigureAwait(false);
        var wasRunning = running.Cancel(jobId);
        return new CancelOutcome(CancelResult.Cancelled, job, wasRunning);
    }
}
