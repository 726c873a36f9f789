namespace Conduit.Pipeline.Destinations;

/// <summary>
/// Exponential backoff for deliveries that failed for a reason that may pass (peer down, refused, timed out):
/// InitialDelay × Multiplier^(attempt-1), capped at MaxDelay, with ±Jitter so that many jobs waiting on one
/// destination do not all come back in the same second.
/// </summary>
public sealed record RetrySchedule
{
    public const int DefaultMaxAttempts = 10;
    public static RetrySchedule Default { get; } = new();

    /// <summary>Attempts in all, the first included; after that the delivery fails for good.</summary>
    public int MaxAttempts { get; init; } = DefaultMaxAttempts;
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(10);
    public double Multiplier { get; init; } = 2.0;
    /// <summary>Fraction of the delay added or taken at random (0 = none, 0.2 = ±20 %).</summary>
    public double Jitter { get; init; } = 0.2;

    public bool AllowsAnotherAttempt(int attemptsMade) => attemptsMade < MaxAttempts;

    /// <summary>The wait before attempt number <paramref name="nextAttempt"/> (2 is the first retry).</summary>
    public TimeSpan DelayBefore(int nextAttempt, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nextAttempt, 2);
        var seconds = InitialDelay.TotalSeconds * Math.Pow(Multiplier, nextAttempt - 2);
        seconds = Math.Min(seconds, MaxDelay.TotalSeconds);
        if (Jitter > 0)
            seconds *= 1 + Jitter * (2 * (random ?? Random.Shared).NextDouble() - 1);
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 0, MaxDelay.TotalSeconds));
    }
}
