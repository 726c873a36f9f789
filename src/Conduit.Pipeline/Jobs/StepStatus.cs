namespace Conduit.Pipeline.Jobs;

/// <summary>Where one step of a job is. Stored as its lower-case name.</summary>
public enum StepStatus
{
    Pending,
    Running,
    /// <summary>Ended with exit code 0 (or a built-in step completed).</summary>
    Finished,
    /// <summary>Non-zero exit, timeout, or the runner could not start it.</summary>
    Failed,
    /// <summary>Not run: its <c>when:</c> condition was false or a step it needs failed.</summary>
    Skipped,
}
