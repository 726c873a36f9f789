namespace Conduit.Pipeline.Jobs;

/// <summary>Filters for listing jobs (all optional); newest first.</summary>
public sealed record JobQuery(
    JobStatus? Status = null,
    string? FlowName = null,
    string? StudyInstanceUid = null,
    int Limit = 100,
    string? BatchId = null);
