using Conduit.Pipeline.Jobs;
using Conduit.Pipeline.Store;

namespace Conduit.Pipeline.Events;

/// <summary>
/// An <see cref="IJobRepository"/> that publishes each committed change of a job, step or destination to the
/// <see cref="ChangeFeed"/>. Every writer of jobs (job creation, the job runner and its deliveries, the API's retry and
/// cancel) goes through the repository, so wrapping it is the one place where no change can be forgotten.
/// </summary>
public sealed class PublishingJobRepository(IJobRepository inner, ChangeFeed feed) : IJobRepository
{
    public async Task<JobRecord> CreateAsync(NewJob job, CancellationToken cancellationToken)
    {
        var created = await inner.CreateAsync(job, cancellationToken).ConfigureAwait(false);
        Publish(created);
        return created;
    }

    public Task<JobRecord?> GetAsync(string jobId, CancellationToken cancellationToken) => inner.GetAsync(jobId, cancellationToken);

    public Task<JobDetails?> GetDetailsAsync(string jobId, CancellationToken cancellationToken) => inner.GetDetailsAsync(jobId, cancellationToken);

    public Task<IReadOnlyList<JobRecord>> ListAsync(JobQuery query, CancellationToken cancellationToken) => inner.ListAsync(query, cancellationToken);

    public Task<IReadOnlyList<JobRecord>> ListUnfinishedAsync(CancellationToken cancellationToken) => inner.ListUnfinishedAsync(cancellationToken);

    public async Task<JobRecord> TransitionAsync(string jobId, JobStatus to, string? message, CancellationToken cancellationToken)
    {
        var job = await inner.TransitionAsync(jobId, to, message, cancellationToken).ConfigureAwait(false);
        Publish(job);
        return job;
    }

    public Task SetWorkDirectoryAsync(string jobId, string workDirectory, CancellationToken cancellationToken) =>
        inner.SetWorkDirectoryAsync(jobId, workDirectory, cancellationToken);

    public async Task StartStepAsync(string jobId, string stepName, CancellationToken cancellationToken)
    {
        await inner.StartStepAsync(jobId, stepName, cancellationToken).ConfigureAwait(false);
        if (feed.HasSubscribers) feed.Publish(new ChangeEvent(ChangeKind.Step, jobId, StepStatus.Running.ToText(), stepName));
    }

    public async Task CompleteStepAsync(string jobId, string stepName, StepCompletion completion, CancellationToken cancellationToken)
    {
        await inner.CompleteStepAsync(jobId, stepName, completion, cancellationToken).ConfigureAwait(false);
        if (feed.HasSubscribers) feed.Publish(new ChangeEvent(ChangeKind.Step, jobId, completion.Status.ToText(), stepName));
    }

    public async Task UpdateDestinationAsync(string jobId, string destination, DestinationStatus status, string? error,
        DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken)
    {
        await inner.UpdateDestinationAsync(jobId, destination, status, error, nextAttemptAt, cancellationToken).ConfigureAwait(false);
        if (feed.HasSubscribers) feed.Publish(new ChangeEvent(ChangeKind.Destination, jobId, status.ToText(), destination));
    }

    /// <summary>Only when someone listens (<see cref="ChangeFeed.HasSubscribers"/> says why this cannot race).</summary>
    private void Publish(JobRecord job)
    {
        if (feed.HasSubscribers)
            feed.Publish(new ChangeEvent(ChangeKind.Job, job.Id, job.Status.ToText(), Flow: job.FlowName, StudyInstanceUid: job.StudyInstanceUid));
    }
}
