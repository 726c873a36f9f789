using Conduit.Pipeline.Jobs;

namespace Conduit.Pipeline.Store;

/// <summary>
/// Jobs, their steps and destinations. Every change is one transaction that also writes a <c>job_events</c> row,
/// so the history of a job is visible and survives a crash. Transitions that the state machine
/// (<see cref="JobTransitions"/>) does not allow throw <see cref="JobStateException"/>, so two workers racing on a
/// job cannot both win.
/// </summary>
public interface IJobRepository
{
    /// <summary>Creates a pending job with its steps and destinations, all pending. The caller then enqueues it.</summary>
    Task<JobRecord> CreateAsync(NewJob job, CancellationToken cancellationToken);

    Task<JobRecord?> GetAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>The job with its steps, destinations and event history.</summary>
    Task<JobDetails?> GetDetailsAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Jobs matching the query, newest first.</summary>
    Task<IReadOnlyList<JobRecord>> ListAsync(JobQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Jobs not in a terminal state (pending, running, finished, sending), oldest first: at start-up the host makes
    /// sure each is in the queue, which closes the gap between <see cref="CreateAsync"/> and the enqueue.
    /// </summary>
    Task<IReadOnlyList<JobRecord>> ListUnfinishedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Moves a job to <paramref name="to"/>. Running counts an attempt and stamps the start (the first time);
    /// a terminal state stamps the end; Failed keeps <paramref name="message"/> as the error.
    /// </summary>
    Task<JobRecord> TransitionAsync(string jobId, JobStatus to, string? message, CancellationToken cancellationToken);

    Task SetWorkDirectoryAsync(string jobId, string workDirectory, CancellationToken cancellationToken);

    Task StartStepAsync(string jobId, string stepName, CancellationToken cancellationToken);

    /// <summary>Records how a step ended (the log tail is cut to <see cref="SqlJobRepository.MaxLogChars"/>, keeping the end).</summary>
    Task CompleteStepAsync(string jobId, string stepName, StepCompletion completion, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a destination to <paramref name="status"/>: Sending counts an attempt, Sent stamps the time, and
    /// <paramref name="error"/>/<paramref name="nextAttemptAt"/> keep the retry bookkeeping.
    /// </summary>
    Task UpdateDestinationAsync(string jobId, string destination, DestinationStatus status, string? error,
        DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken);
}
