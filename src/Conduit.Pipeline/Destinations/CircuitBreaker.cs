namespace Conduit.Pipeline.Destinations;

/// <summary>
/// One per destination: after <see cref="FailureThreshold"/> failures in a row the circuit opens and deliveries to that
/// destination wait <see cref="OpenDuration"/> instead of each job hammering a peer that is down; then one trial
/// delivery is let through (half-open), and its outcome closes or re-opens the circuit. Thread-safe.
/// </summary>
public sealed class CircuitBreaker(int failureThreshold = CircuitBreaker.DefaultFailureThreshold, TimeSpan? openDuration = null,
    TimeProvider? time = null)
{
    public const int DefaultFailureThreshold = 5;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private int _consecutiveFailures;
    private DateTimeOffset _openUntil = DateTimeOffset.MinValue;
    private bool _trialInFlight;

    public int FailureThreshold { get; } = failureThreshold;
    public TimeSpan OpenDuration { get; } = openDuration ?? TimeSpan.FromSeconds(30);

    public CircuitState State
    {
        get
        {
            lock (_gate)
            {
                if (_consecutiveFailures < FailureThreshold) return CircuitState.Closed;
                return _time.GetUtcNow() < _openUntil ? CircuitState.Open : CircuitState.HalfOpen;
            }
        }
    }

    /// <summary>True when a delivery may be tried now; otherwise how long until the circuit lets a trial through.</summary>
    public bool TryEnter(out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            retryAfter = TimeSpan.Zero;
            if (_consecutiveFailures < FailureThreshold) return true;
            var now = _time.GetUtcNow();
            if (now < _openUntil)
            {
                retryAfter = _openUntil - now;
                return false;
            }
            if (_trialInFlight)
            {
                retryAfter = OpenDuration;
                return false;
            }
            _trialInFlight = true;
            return true;
        }
    }

    public void RecordSuccess()
    {
        lock (_gate)
        {
            _consecutiveFailures = 0;
            _trialInFlight = false;
        }
    }

    public void RecordFailure()
    {
        lock (_gate)
        {
            _consecutiveFailures++;
            _trialInFlight = false;
            if (_consecutiveFailures >= FailureThreshold) _openUntil = _time.GetUtcNow() + OpenDuration;
        }
    }
}

public enum CircuitState
{
    Closed,
    Open,
    HalfOpen,
}
