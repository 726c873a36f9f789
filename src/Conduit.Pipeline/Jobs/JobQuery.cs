namespace Conduit.Pipeline.Jobs;

/// <summary>
/// Filters for listing jobs (all optional); newest first. A page of the list is cut by a job id (keyset paging, so a
/// page does not shift while new jobs arrive): <see cref="Before"/> keeps the jobs listed after that job (older),
/// <see cref="After"/> the <see cref="Limit"/> jobs nearest above it (newer), still newest first.
/// </summary>
public sealed record JobQuery(
    JobStatus? Status = null,
    string? FlowName = null,
    string? StudyInstanceUid = null,
    int Limit = 100,
    string? BatchId = null,
    string? Before = null,
    string? After = null);
