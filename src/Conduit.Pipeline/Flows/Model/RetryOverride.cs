using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Destinations;

namespace Conduit.Pipeline.Flows.Model;

/// <summary>A destination's own retries and backoff; null values fall back to the <c>destinations:</c> configuration.</summary>
public sealed record RetryOverride(int? Retries = null, TimeSpan? Backoff = null)
{
    public static RetryOverride None { get; } = new();

    /// <summary>The schedule to deliver with: this override over the configured defaults.</summary>
    public RetrySchedule ToSchedule(DestinationDefaultsOptions defaults) => new()
    {
        MaxAttempts = (Retries ?? defaults.Retries) + 1,
        InitialDelay = Backoff ?? defaults.Backoff,
        MaxDelay = defaults.MaxBackoff < (Backoff ?? defaults.Backoff) ? Backoff ?? defaults.Backoff : defaults.MaxBackoff,
    };
}
