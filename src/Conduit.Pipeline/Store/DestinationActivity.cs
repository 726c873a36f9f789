namespace Conduit.Pipeline.Store;

/// <summary>
/// One destination of one flow across all its jobs: counts by state, the last acknowledged delivery, and the last
/// error a delivery attempt reported (with the job it happened in).
/// </summary>
public sealed record DestinationActivity(
    string Flow,
    string Name,
    int Jobs,
    int Sent,
    int Failed,
    int Waiting,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? LastErrorAt,
    string? LastError,
    string? LastErrorJobId);
