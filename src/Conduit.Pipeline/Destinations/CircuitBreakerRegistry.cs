using System.Collections.Concurrent;

namespace Conduit.Pipeline.Destinations;

/// <summary>The circuit breaker of each destination, by name, shared by every job that delivers there.</summary>
public sealed class CircuitBreakerRegistry(int failureThreshold = CircuitBreaker.DefaultFailureThreshold, TimeSpan? openDuration = null,
    TimeProvider? time = null)
{
    private readonly ConcurrentDictionary<string, CircuitBreaker> _breakers = new(StringComparer.Ordinal);

    public CircuitBreaker For(string destination) =>
        _breakers.GetOrAdd(destination, _ => new CircuitBreaker(failureThreshold, openDuration, time));

    public IReadOnlyDictionary<string, CircuitState> States() => _breakers.ToDictionary(p => p.Key, p => p.Value.State);
}
