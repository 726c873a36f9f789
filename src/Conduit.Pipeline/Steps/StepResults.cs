namespace Conduit.Pipeline.Steps;

/// <summary>Turns how a step's program ended into a <see cref="StepResult"/>, the same way for every runner.</summary>
internal static class StepResults
{
    public static StepResult FromExit(int exitCode, bool timedOut, TimeSpan timeout, DateTimeOffset startedAt,
        DateTimeOffset endedAt, BoundedLog log, StepContext context)
    {
        if (timedOut)
        {
            return new StepResult(StepOutcome.TimedOut, exitCode, startedAt, endedAt, log.ToString(),
                $"Timed out after {timeout} and was killed.", null);
        }
        if (exitCode != 0)
        {
            return new StepResult(StepOutcome.Failed, exitCode, startedAt, endedAt, log.ToString(),
                $"Exited with code {exitCode}.", null);
        }
        var (merged, error) = StepParamsFile.ReadOutput(context.OutputDirectory, context.Params);
        return error is null
            ? new StepResult(StepOutcome.Succeeded, exitCode, startedAt, endedAt, log.ToString(), null, merged)
            : new StepResult(StepOutcome.Failed, exitCode, startedAt, endedAt, log.ToString(), error, null);
    }

    public static StepResult NotStarted(DateTimeOffset at, string error, BoundedLog? log = null) =>
        new(StepOutcome.Failed, null, at, at, log?.ToString() ?? "", error, null);
}
