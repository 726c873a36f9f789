namespace Conduit.Pipeline.Jobs;

/// <summary>
/// The job state machine. A repository refuses any other move, so two workers racing on one job cannot, say,
/// mark a sent job running again.
/// </summary>
public static class JobTransitions
{
    /// <summary>The states a job may move to <paramref name="to"/> from.</summary>
    public static IReadOnlyList<JobStatus> AllowedFrom(JobStatus to) => to switch
    {
        // Running again from Running: a worker whose predecessor crashed picks the job up (attempt + 1).
        // From Failed or Cancelled: an operator retry (POST /jobs/{id}/retry) requeues and a worker runs it.
        JobStatus.Pending => [JobStatus.Running, JobStatus.Failed, JobStatus.Sending, JobStatus.Cancelled],
        JobStatus.Running => [JobStatus.Pending, JobStatus.Running, JobStatus.Failed],
        JobStatus.Finished => [JobStatus.Running],
        JobStatus.Sending => [JobStatus.Finished, JobStatus.Sending, JobStatus.Pending],
        JobStatus.Sent => [JobStatus.Sending, JobStatus.Finished],
        JobStatus.Failed => [JobStatus.Pending, JobStatus.Running, JobStatus.Finished, JobStatus.Sending],
        JobStatus.Cancelled => [JobStatus.Pending, JobStatus.Running, JobStatus.Finished, JobStatus.Sending, JobStatus.Failed],
        _ => [],
    };

    /// <summary>True for the states a job stays in until someone acts on it.</summary>
    public static bool IsTerminal(JobStatus status) =>
        status is JobStatus.Sent or JobStatus.Failed or JobStatus.Cancelled;
}
