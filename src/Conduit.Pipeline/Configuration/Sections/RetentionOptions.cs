namespace Conduit.Pipeline.Configuration;

/// <summary><c>retention:</c> how long finished work is kept.</summary>
public sealed class RetentionOptions
{
    public const int DefaultSucceededJobsHours = 24;

    /// <summary>A succeeded job's work folders (and its batch's instances) are removed this long after it ends; 0 removes them at once. Failed jobs are kept for inspection.</summary>
    public TimeSpan SucceededJobs { get; set; } = TimeSpan.FromHours(DefaultSucceededJobsHours);
}
