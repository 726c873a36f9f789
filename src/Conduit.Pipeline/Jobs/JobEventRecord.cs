namespace Conduit.Pipeline.Jobs;

/// <summary>
/// One state transition, kept as a row so a job's history is visible (and survives crashes).
/// <see cref="Entity"/> is <c>job</c>, <c>step</c> or <c>destination</c>; <see cref="Name"/> names the step or destination.
/// </summary>
public sealed record JobEventRecord(
    string Id,
    string JobId,
    DateTimeOffset At,
    string Entity,
    string? Name,
    string? FromStatus,
    string ToStatus,
    string? Message);
