namespace Conduit.Pipeline.Jobs;

/// <summary>One job as stored. Times are UTC.</summary>
public sealed record JobRecord(
    string Id,
    string FlowName,
    string FlowVersion,
    int Priority,
    string? BatchId,
    string? StudyInstanceUid,
    JobStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? Error,
    int Attempts,
    string? WorkDir)
{
    /// <summary>DicomFlow's number for <see cref="Status"/>, for dashboards built on it (<see cref="Orchestration.JobStatusCodes"/>).</summary>
    public int StatusCode => Orchestration.JobStatusCodes.DicomFlowCode(Status);
}
