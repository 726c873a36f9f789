using System.Text.Json.Nodes;
using Conduit.Pipeline.Jobs;

namespace Conduit.Pipeline.Steps;

/// <summary>
/// What a runner reports. <see cref="Log"/> is the tail of the step's stdout and stderr (bounded);
/// <see cref="Params"/> is the parameters for later steps and <c>when:</c> conditions: the step's input params
/// merged with what it wrote to its output's <c>conduit-params.json</c> (null when the step did not succeed).
/// </summary>
public sealed record StepResult(
    StepOutcome Outcome,
    int? ExitCode,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    string Log,
    string? Error,
    JsonObject? Params)
{
    public bool TimedOut => Outcome == StepOutcome.TimedOut;

    public bool Succeeded => Outcome == StepOutcome.Succeeded;

    /// <summary>The result as the job repository records it.</summary>
    public StepCompletion ToCompletion() => new(
        Succeeded ? StepStatus.Finished : StepStatus.Failed, StartedAt, EndedAt, ExitCode, TimedOut, Log, Error);
}
