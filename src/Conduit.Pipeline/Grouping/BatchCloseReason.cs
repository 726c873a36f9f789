namespace Conduit.Pipeline.Grouping;

/// <summary>Why a batch was closed; recorded with the batch so an operator can see which signal decided.</summary>
public enum BatchCloseReason
{
    /// <summary>The batch holds as many instances as the data announced (e.g. Number of Series Related Instances).</summary>
    ExpectedCountReached,

    /// <summary>Every association that delivered to the batch has ended, and the grace period passed with nothing new.</summary>
    AssociationsEnded,

    /// <summary>No new instance arrived for the quiet time.</summary>
    QuietTime,

    /// <summary>The batch was closed on request (an operator, or shutdown of a batch that cannot be resumed).</summary>
    Forced,
}
