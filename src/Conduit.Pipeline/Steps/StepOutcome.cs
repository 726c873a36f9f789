namespace Conduit.Pipeline.Steps;

/// <summary>How a step ended.</summary>
public enum StepOutcome
{
    /// <summary>Exit code 0 and a readable output.</summary>
    Succeeded,
    /// <summary>Non-zero exit, an unusable output parameters file, or the step could not be started.</summary>
    Failed,
    /// <summary>The step ran past its timeout and was killed.</summary>
    TimedOut,
}
