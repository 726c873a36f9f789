namespace Conduit.Pipeline.Jobs;

/// <summary>How a step ended, as the repository records it.</summary>
public sealed record StepCompletion(
    StepStatus Status,
    DateTimeOffset? StartedAt,
    DateTimeOffset EndedAt,
    int? ExitCode,
    bool TimedOut,
    string? LogTail,
    string? Error);
