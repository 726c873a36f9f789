namespace Conduit.Pipeline.Jobs;

/// <summary>Delivery of one job's results to one destination, with its retry bookkeeping.</summary>
public sealed record JobDestinationRecord(
    string JobId,
    string Name,
    DestinationStatus Status,
    int Attempts,
    string? LastError,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? SentAt,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? EndedAt = null);
