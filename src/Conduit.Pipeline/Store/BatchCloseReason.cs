namespace Conduit.Pipeline.Store;

/// <summary>
/// Why a batch was closed, stored as text beside it (the grouping layer may add detail after a colon,
/// e.g. <c>quiet-time: 10 s</c>).
/// </summary>
public static class BatchCloseReason
{
    /// <summary>No new instance arrived for the configured quiet time.</summary>
    public const string QuietTime = "quiet-time";

    /// <summary>The association that delivered the series ended.</summary>
    public const string AssociationEnded = "association-ended";

    /// <summary>The instance count the data announced was reached.</summary>
    public const string ExpectedCount = "expected-count";

    /// <summary>Every series a study-scoped flow requires is present.</summary>
    public const string RequiredSeries = "required-series";

    /// <summary>Closed by an operator or through the API.</summary>
    public const string Manual = "manual";
}
