namespace Conduit.Pipeline.Configuration;

/// <summary><c>workers:</c> the pool that runs jobs.</summary>
public sealed class WorkersOptions
{
    public const int DefaultConcurrency = 2;
    public const int MaxConcurrency = 256;
    public const int DefaultStepTimeoutMinutes = 30;

    /// <summary>Jobs run at once on this node.</summary>
    public int Concurrency { get; set; } = DefaultConcurrency;

    /// <summary>Timeout of a container or process step that names none (DicomFlow's default is also 30 minutes).</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromMinutes(DefaultStepTimeoutMinutes);
}
