using Conduit.Pipeline.Jobs;

namespace Conduit.Pipeline.Orchestration;

/// <summary>The JSON a webhook receives (and the shape scripts can rely on): the job, its steps and its destinations.</summary>
public sealed record JobSummary(
    string JobId,
    string Flow,
    string FlowVersion,
    string Status,
    int StatusCode,
    string? StudyInstanceUid,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? Error,
    IReadOnlyList<JobSummary.Step> Steps,
    IReadOnlyList<JobSummary.Destination> Destinations)
{
    public sealed record Step(string Name, string Status, int? ExitCode, bool TimedOut, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, string? Error);

    public sealed record Destination(string Name, string Status, int Attempts, string? LastError, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt);

    public static JobSummary From(JobDetails details)
    {
        var job = details.Job;
        return new JobSummary(job.Id, job.FlowName, job.FlowVersion, job.Status.ToText(), JobStatusCodes.DicomFlowCode(job.Status), job.StudyInstanceUid,
            job.CreatedAt, job.StartedAt, job.EndedAt, job.Error,
            details.Steps.Select(s => new Step(s.Name, s.Status.ToText(), s.ExitCode, s.TimedOut, s.StartedAt, s.EndedAt, s.Error)).ToList(),
            details.Destinations.Select(d => new Destination(d.Name, d.Status.ToText(), d.Attempts, d.LastError, d.StartedAt, d.EndedAt)).ToList());
    }
}

/// <summary>
/// DicomFlow's numeric job statuses, kept for dashboards built on them, as its README lists them ("Dashboard → Status"):
/// 0 pending, 1 running, 2 finished (not yet sent), 3 sending, 4 sent, 400 failed. Cancelled has no DicomFlow number and
/// reports as failed. (The later RadDeploy README inserts "scheduled" as 1 and shifts the rest; Conduit keeps DicomFlow's.)
/// </summary>
public static class JobStatusCodes
{
    public static int DicomFlowCode(JobStatus status) => status switch
    {
        JobStatus.Pending => 0,
        JobStatus.Running => 1,
        JobStatus.Finished => 2,
        JobStatus.Sending => 3,
        JobStatus.Sent => 4,
        _ => 400,
    };
}
