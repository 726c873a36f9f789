namespace Conduit.Pipeline.Jobs;

/// <summary>Delivery state of a job's results to one destination. Stored as its lower-case name.</summary>
public enum DestinationStatus
{
    Pending,
    Sending,
    Sent,
    /// <summary>Retries exhausted (or a permanent refusal).</summary>
    Failed,
}
