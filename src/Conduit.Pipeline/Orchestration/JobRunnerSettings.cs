namespace Conduit.Pipeline.Orchestration;

/// <summary>What the job runner takes from the configuration.</summary>
public sealed record JobRunnerSettings(TimeSpan DefaultStepTimeout, string StaticDirectory)
{
    /// <summary>How long a worker's claim on a job lasts before it must be renewed; a crashed worker's job returns after this.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromMinutes(2);
}
