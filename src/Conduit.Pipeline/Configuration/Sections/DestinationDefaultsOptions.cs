namespace Conduit.Pipeline.Configuration;

/// <summary><c>destinations:</c> defaults for every flow destination (a destination may override retries and backoff).</summary>
public sealed class DestinationDefaultsOptions
{
    public const int DefaultRetries = 5;
    public const int DefaultBackoffSeconds = 10;
    public const int DefaultMaxBackoffMinutes = 10;
    public const int DefaultCircuitBreakerFailures = 5;
    public const int DefaultCircuitBreakerCooldownSeconds = 60;

    /// <summary>Attempts after the first failed one.</summary>
    public int Retries { get; set; } = DefaultRetries;

    /// <summary>Wait before the first retry; doubled after each further failure (exponential backoff).</summary>
    public TimeSpan Backoff { get; set; } = TimeSpan.FromSeconds(DefaultBackoffSeconds);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(DefaultMaxBackoffMinutes);

    /// <summary>Consecutive failures after which a destination's circuit opens and sends pause.</summary>
    public int CircuitBreakerFailures { get; set; } = DefaultCircuitBreakerFailures;

    /// <summary>How long an open circuit waits before one trial send.</summary>
    public TimeSpan CircuitBreakerCooldown { get; set; } = TimeSpan.FromSeconds(DefaultCircuitBreakerCooldownSeconds);

    /// <summary>Calling AE title for C-STORE destinations that name none; null uses <c>receiver.ae_title</c>.</summary>
    public string? CallingAeTitle { get; set; }
}
