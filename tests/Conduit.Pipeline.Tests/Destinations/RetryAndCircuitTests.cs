using Conduit.Pipeline.Destinations;
using Microsoft.Extensions.Time.Testing;

namespace Conduit.Pipeline.Tests.Destinations;

public sealed class RetryAndCircuitTests
{
    [Fact]
    public void Backoff_doubles_from_the_initial_delay_and_stops_at_the_cap()
    {
        var schedule = new RetrySchedule { InitialDelay = TimeSpan.FromSeconds(5), MaxDelay = TimeSpan.FromSeconds(60), Jitter = 0 };
        Assert.Equal([5, 10, 20, 40, 60, 60], Enumerable.Range(2, 6).Select(a => schedule.DelayBefore(a).TotalSeconds));
    }

    [Fact]
    public void Jitter_stays_within_its_fraction()
    {
        var schedule = new RetrySchedule { InitialDelay = TimeSpan.FromSeconds(10), Jitter = 0.2 };
        var random = new Random(7);
        var delays = Enumerable.Range(0, 200).Select(_ => schedule.DelayBefore(2, random).TotalSeconds).ToList();
        Assert.All(delays, d => Assert.InRange(d, 8, 12));
        Assert.True(delays.Distinct().Count() > 50, "jitter should spread the retries");
    }

    [Fact]
    public void Attempts_are_limited()
    {
        var schedule = new RetrySchedule { MaxAttempts = 3 };
        Assert.True(schedule.AllowsAnotherAttempt(2));
        Assert.False(schedule.AllowsAnotherAttempt(3));
    }

    [Fact]
    public void The_circuit_opens_after_the_threshold_then_lets_one_trial_through()
    {
        var time = new FakeTimeProvider();
        var breaker = new CircuitBreaker(3, TimeSpan.FromSeconds(30), time);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(breaker.TryEnter(out _));
            breaker.RecordFailure();
        }
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.False(breaker.TryEnter(out var wait));
        Assert.Equal(TimeSpan.FromSeconds(30), wait);

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        Assert.True(breaker.TryEnter(out _));
        Assert.False(breaker.TryEnter(out _)); // one trial at a time

        breaker.RecordSuccess();
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.True(breaker.TryEnter(out _));
    }

    [Fact]
    public void A_failed_trial_reopens_the_circuit()
    {
        var time = new FakeTimeProvider();
        var breaker = new CircuitBreaker(1, TimeSpan.FromSeconds(10), time);
        breaker.RecordFailure();
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(breaker.TryEnter(out _));
        breaker.RecordFailure();
        Assert.Equal(CircuitState.Open, breaker.State);
    }
}
