using System.Text.Json.Nodes;
using Conduit.Pipeline.Destinations;
using Conduit.Pipeline.Flows.Catalog;
using Conduit.Pipeline.Flows.Model;
using Conduit.Pipeline.Jobs;
using Conduit.Pipeline.Queue;
using Conduit.Pipeline.Staging;
using Conduit.Pipeline.Steps;
using Conduit.Pipeline.Store;
using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Orchestration;

/// <summary>
/// Runs one leased job to its next resting point: pending/running → the flow's steps in dependency order (each
/// step's input is the batch, or the outputs of the steps it needs) → finished → sending to every destination → sent
/// or failed. A destination that must be retried later leaves the job in "sending" and gives the lease back with a
/// delay; the next run skips the steps and the destinations already done. A crash anywhere means the job is leased
/// again and resumes from its recorded state (steps re-run from a clean work folder: at least once).
/// </summary>
public sealed partial class JobRunner(
    IJobRepository jobs,
    IJobQueue queue,
    IInstanceStore store,
    IInstanceFileLayout layout,
    FlowCatalog catalog,
    IEnumerable<IStepRunner> runners,
    DeliveryRunner delivery,
    DestinationFactory destinations,
    IJobEndListener jobEnded,
    JobRunnerSettings settings,
    ILogger<JobRunner> logger,
    TimeProvider? time = null,
    RunningJobs? running = null)
{
    private readonly IStepRunner[] _runners = runners.ToArray();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>How long a job waits before checking again whether the study's earlier jobs have delivered.</summary>
    private static readonly TimeSpan InOrderWait = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync(JobLease lease, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = lease.JobId });
        using var run = running?.Start(lease.JobId);
        RunOutcome outcome;
        JobLease current;
        await using (var heartbeat = LeaseHeartbeat.Start(queue, lease, settings.LeaseDuration, _time, logger))
        {
            using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, heartbeat.LeaseLost, run?.Token ?? CancellationToken.None);
            try
            {
                outcome = await RunLeasedAsync(lease.JobId, work.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (heartbeat.LeaseLost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                LogLeaseLost(logger, lease.JobId);
                return; // another worker has the job now
            }
            catch (Exception ex) when (ex is OperationCanceledException or JobStateException
                && !cancellationToken.IsCancellationRequested && !heartbeat.LeaseLost.IsCancellationRequested)
            {
                // An operator's cancel: the store says cancelled, and the token stopped the step, or a transition the
                // runner tried after the cancel was refused. Anything else is a real error for the worker to report.
                var stopped = await StopCancelledAsync(lease.JobId).ConfigureAwait(false);
                if (stopped is null) throw;
                outcome = stopped.Value;
            }
            if (heartbeat.LeaseLost.IsCancellationRequested) return;
            current = heartbeat.Lease;
        }
        if (outcome.RetryAfter is { } delay) await queue.ReleaseAsync(current, delay, CancellationToken.None).ConfigureAwait(false);
        else await queue.CompleteAsync(current, CancellationToken.None).ConfigureAwait(false);
        if (outcome.Ended is { } ended) await jobEnded.OnJobEndedAsync(ended, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task<RunOutcome> RunLeasedAsync(string jobId, CancellationToken cancellationToken)
    {
        var job = await jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (job is null || JobTransitions.IsTerminal(job.Status)) return RunOutcome.Done(null);

        var flow = catalog.Current.Find(job.FlowName);
        if (flow is null) return await FailAsync(job, $"flow '{job.FlowName}' is no longer loaded", cancellationToken).ConfigureAwait(false);

        if (job.Status is JobStatus.Pending or JobStatus.Running)
        {
            job = await jobs.TransitionAsync(jobId, JobStatus.Running, null, cancellationToken).ConfigureAwait(false);
            LogJobStarted(logger, jobId, flow.Name, job.Attempts);
            var failure = await RunStepsAsync(job, flow, cancellationToken).ConfigureAwait(false);
            if (failure is not null) return await FailAsync(job, failure, cancellationToken).ConfigureAwait(false);
            job = await jobs.TransitionAsync(jobId, JobStatus.Finished, null, cancellationToken).ConfigureAwait(false);
        }
        return await DeliverAsync(job, flow, cancellationToken).ConfigureAwait(false);
    }

    /// <returns>null when every step succeeded (or was skipped), else why the job failed.</returns>
    private async Task<string?> RunStepsAsync(JobRecord job, FlowDefinition flow, CancellationToken cancellationToken)
    {
        if (flow.StepsInOrder.Count == 0) return null;
        var jobDirectory = layout.JobDirectory(job.Id);
        if (Directory.Exists(jobDirectory)) Directory.Delete(jobDirectory, recursive: true); // a re-run starts clean
        await jobs.SetWorkDirectoryAsync(job.Id, jobDirectory, cancellationToken).ConfigureAwait(false);

        var instances = await BatchInstancesAsync(job, cancellationToken).ConfigureAwait(false);
        var files = instances.Select(i => layout.Resolve(i.Path)).ToList();
        var tags = KeyTags(instances);
        return await new StepGraphRunner(jobs, layout, _runners, settings, logger, _time)
            .RunAsync(job, flow, files, tags, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RunOutcome> DeliverAsync(JobRecord job, FlowDefinition flow, CancellationToken cancellationToken)
    {
        if (job.Status != JobStatus.Sending)
            job = await jobs.TransitionAsync(job.Id, JobStatus.Sending, null, cancellationToken).ConfigureAwait(false);
        if (await OlderJobStillDeliveringAsync(job, cancellationToken).ConfigureAwait(false) is { } older)
        {
            // In-order delivery per study: a later series of the study must not overtake an earlier one at the destination.
            LogWaitingForOlder(logger, job.Id, older);
            return RunOutcome.Later(InOrderWait);
        }

        IReadOnlyList<DeliveryItem> items;
        if (flow.ResultStep is { } resultStep)
        {
            var folder = Path.Combine(layout.JobDirectory(job.Id), "steps", resultStep, "output");
            (items, var skipped) = ResultItems.Collect(folder);
            foreach (var why in skipped) LogResultSkipped(logger, job.Id, why);
        }
        else
        {
            items = (await BatchInstancesAsync(job, cancellationToken).ConfigureAwait(false))
                .Select(i => new DeliveryItem(layout.Resolve(i.Path), i.StudyInstanceUid, i.SeriesInstanceUid, i.SopInstanceUid)).ToList();
        }

        var details = await jobs.GetDetailsAsync(job.Id, cancellationToken).ConfigureAwait(false);
        var states = details!.Destinations.ToDictionary(d => d.Name, StringComparer.Ordinal);
        DateTimeOffset? retryAt = null;
        var failures = new List<string>();
        foreach (var definition in flow.Destinations)
        {
            if (states.TryGetValue(definition.Name, out var state) && state.Status is DestinationStatus.Sent) continue;
            if (state?.Status is DestinationStatus.Failed)
            {
                failures.Add($"{definition.Name}: {state.LastError}");
                continue;
            }
            var attempt = (state?.Attempts ?? 0) + 1;
            await jobs.UpdateDestinationAsync(job.Id, definition.Name, DestinationStatus.Sending, null, null, cancellationToken).ConfigureAwait(false);
            var result = await delivery.AttemptAsync(job.Id, destinations.Create(definition), items, attempt, destinations.ScheduleFor(definition),
                cancellationToken).ConfigureAwait(false);
            LogDelivery(logger, job.Id, definition.Name, result.Status, result.Summary);
            switch (result.Status)
            {
                case DeliveryStatus.Delivered:
                    await jobs.UpdateDestinationAsync(job.Id, definition.Name, DestinationStatus.Sent, null, null, cancellationToken).ConfigureAwait(false);
                    break;
                case DeliveryStatus.RetryLater:
                    await jobs.UpdateDestinationAsync(job.Id, definition.Name, DestinationStatus.Pending, result.Summary, result.RetryAt, cancellationToken)
                        .ConfigureAwait(false);
                    if (retryAt is null || result.RetryAt < retryAt) retryAt = result.RetryAt;
                    break;
                default:
                    await jobs.UpdateDestinationAsync(job.Id, definition.Name, DestinationStatus.Failed, result.Summary, null, cancellationToken)
                        .ConfigureAwait(false);
                    failures.Add($"{definition.Name}: {result.Summary}");
                    break;
            }
        }

        if (retryAt is { } at) return RunOutcome.Later(Max(at - _time.GetUtcNow(), TimeSpan.Zero));
        if (failures.Count > 0) return await FailAsync(job, "delivery failed: " + string.Join("; ", failures), cancellationToken).ConfigureAwait(false);
        var sent = await jobs.TransitionAsync(job.Id, JobStatus.Sent, $"delivered {items.Count} instance(s) to {flow.Destinations.Count} destination(s)",
            cancellationToken).ConfigureAwait(false);
        LogJobSent(logger, job.Id, items.Count, flow.Destinations.Count);
        return RunOutcome.Done(sent);
    }

    /// <summary>The id of an earlier job of the same flow and study that has not finished delivering, if any.</summary>
    private async Task<string?> OlderJobStillDeliveringAsync(JobRecord job, CancellationToken cancellationToken)
    {
        if (job.StudyInstanceUid is null) return null;
        var sameStudy = await jobs.ListAsync(new JobQuery(FlowName: job.FlowName, StudyInstanceUid: job.StudyInstanceUid, Limit: 1000),
            cancellationToken).ConfigureAwait(false);
        return sameStudy.Where(j => j.Id != job.Id && !JobTransitions.IsTerminal(j.Status)
                && (j.CreatedAt < job.CreatedAt || (j.CreatedAt == job.CreatedAt && string.CompareOrdinal(j.Id, job.Id) < 0)))
            .Select(j => j.Id).FirstOrDefault();
    }

    private async Task<RunOutcome> FailAsync(JobRecord job, string error, CancellationToken cancellationToken)
    {
        var failed = await jobs.TransitionAsync(job.Id, JobStatus.Failed, error, cancellationToken).ConfigureAwait(false);
        LogJobFailed(logger, job.Id, error);
        return RunOutcome.Done(failed);
    }

    /// <summary>
    /// Records what a cancel interrupted: the step that was running failed ("cancelled"); a delivery in progress goes
    /// back to pending (a retry resumes it; the ledger keeps what was acknowledged).
    /// Null when the job is not cancelled after all (the caller reports the original error).
    /// </summary>
    private async Task<RunOutcome?> StopCancelledAsync(string jobId)
    {
        var details = await jobs.GetDetailsAsync(jobId, CancellationToken.None).ConfigureAwait(false);
        if (details is null || details.Job.Status != JobStatus.Cancelled) return null;
        var now = _time.GetUtcNow();
        foreach (var step in details.Steps.Where(s => s.Status == StepStatus.Running))
            await jobs.CompleteStepAsync(jobId, step.Name, new StepCompletion(StepStatus.Failed, step.StartedAt, now, null, false, step.LogTail,
                "cancelled by an operator; the step was stopped"), CancellationToken.None).ConfigureAwait(false);
        foreach (var destination in details.Destinations.Where(d => d.Status == DestinationStatus.Sending))
            await jobs.UpdateDestinationAsync(jobId, destination.Name, DestinationStatus.Pending, null, null, CancellationToken.None)
                .ConfigureAwait(false);
        LogJobCancelled(logger, jobId);
        return RunOutcome.Done(details.Job);
    }

    private async Task<IReadOnlyList<StoredInstance>> BatchInstancesAsync(JobRecord job, CancellationToken cancellationToken) =>
        job.BatchId is { } batchId ? await store.ListBatchInstancesAsync(batchId, cancellationToken).ConfigureAwait(false) : [];

    private static Dictionary<string, string> KeyTags(IReadOnlyList<StoredInstance> instances)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (instances.Count == 0) return tags;
        var first = instances[0];
        tags["StudyInstanceUID"] = first.StudyInstanceUid;
        tags["SeriesInstanceUID"] = first.SeriesInstanceUid;
        tags["SOPClassUID"] = first.SopClassUid;
        if (first.Modality is { } modality) tags["Modality"] = modality;
        if (first.SeriesDescription is { } description) tags["SeriesDescription"] = description;
        if (first.CallingAeTitle is { } calling) tags["CallingAETitle"] = calling;
        tags["InstanceCount"] = instances.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return tags;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private readonly record struct RunOutcome(TimeSpan? RetryAfter, JobRecord? Ended)
    {
        public static RunOutcome Done(JobRecord? ended) => new(null, ended);
        public static RunOutcome Later(TimeSpan delay) => new(delay, null);
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "Job {JobId} ({Flow}) started, attempt {Attempt}")]
    private static partial void LogJobStarted(ILogger logger, string jobId, string flow, int attempt);

    [LoggerMessage(EventId = 3304, Level = LogLevel.Information, Message = "Job {JobId}: destination {Destination} {Status}: {Summary}")]
    private static partial void LogDelivery(ILogger logger, string jobId, string destination, DeliveryStatus status, string summary);

    [LoggerMessage(EventId = 3305, Level = LogLevel.Information, Message = "Job {JobId} sent: {Instances} instance(s) to {Destinations} destination(s)")]
    private static partial void LogJobSent(ILogger logger, string jobId, int instances, int destinations);

    [LoggerMessage(EventId = 3306, Level = LogLevel.Warning, Message = "Job {JobId} failed: {Error}")]
    private static partial void LogJobFailed(ILogger logger, string jobId, string error);

    [LoggerMessage(EventId = 3307, Level = LogLevel.Warning, Message = "Job {JobId}: result file left out: {Why}")]
    private static partial void LogResultSkipped(ILogger logger, string jobId, string why);

    [LoggerMessage(EventId = 3309, Level = LogLevel.Debug, Message = "Job {JobId} waits to deliver until the study's earlier job {OlderJobId} has")]
    private static partial void LogWaitingForOlder(ILogger logger, string jobId, string olderJobId);

    [LoggerMessage(EventId = 3310, Level = LogLevel.Information, Message = "Job {JobId} cancelled by an operator; its running step was stopped")]
    private static partial void LogJobCancelled(ILogger logger, string jobId);

    [LoggerMessage(EventId = 3308, Level = LogLevel.Warning, Message = "Job {JobId}: the lease was lost (another worker took over); stopping this run")]
    private static partial void LogLeaseLost(ILogger logger, string jobId);
}

/// <summary>Told when a job reaches sent or failed (webhooks, the dashboard's live feed).</summary>
public interface IJobEndListener
{
    Task OnJobEndedAsync(JobRecord job, CancellationToken cancellationToken);
}
