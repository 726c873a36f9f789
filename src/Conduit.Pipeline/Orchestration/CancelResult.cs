namespace Conduit.Pipeline.Orchestration;

/// <summary>What <see cref="JobCanceller.CancelAsync"/> did.</summary>
public enum CancelResult
{
    Cancelled,
    NotFound,
    /// <summary>The job is sent, failed or cancelled already: nothing to stop.</summary>
    AlreadyEnded,
}
