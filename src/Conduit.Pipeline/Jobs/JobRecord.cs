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
    string? WorkDir);
