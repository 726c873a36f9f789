namespace Conduit.Pipeline.Jobs;

/// <summary>One step of a job as stored; <see cref="LogTail"/> is bounded (the last bytes of the step's output).</summary>
public sealed record JobStepRecord(
    string JobId,
    string Name,
    int Ordinal,
    StepStatus Status,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    int? ExitCode,
    bool TimedOut,
    string? LogTail,
    string? Error);
