namespace Conduit.Pipeline.Jobs;

/// <summary>What a flow match asks for: a job with its steps (in order) and destinations, all pending.</summary>
public sealed record NewJob(
    string FlowName,
    string FlowVersion,
    int Priority,
    string? BatchId,
    string? StudyInstanceUid,
    IReadOnlyList<string> Steps,
    IReadOnlyList<string> Destinations);
