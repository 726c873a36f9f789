namespace Conduit.Pipeline.Destinations;

public enum DeliveryStatus
{
    /// <summary>Every item is acknowledged by the destination (now or in an earlier attempt).</summary>
    Delivered,

    /// <summary>Something failed in a way that may pass: try again at <see cref="DeliveryAttempt.RetryAt"/>.</summary>
    RetryLater,

    /// <summary>Gave up: a permanent failure, or no attempts left.</summary>
    Failed,
}

/// <summary>The outcome of one attempt to deliver a job's results to one destination.</summary>
/// <param name="AttemptCounted">False when the circuit breaker held the attempt back, so it does not use up a retry.</param>
public sealed record DeliveryAttempt(
    DeliveryStatus Status,
    DateTimeOffset? RetryAt,
    int Acknowledged,
    int Skipped,
    IReadOnlyList<DeliveryOutcome> Failures,
    bool AttemptCounted,
    string Summary);
