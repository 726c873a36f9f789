namespace Conduit.Pipeline.Configuration;

/// <summary><c>webhooks:</c> defaults for the job-summary POSTs flows ask for.</summary>
public sealed class WebhookDefaultsOptions
{
    public const int DefaultRetries = 3;
    public const int DefaultBackoffSeconds = 5;
    public const int DefaultTimeoutSeconds = 10;

    /// <summary>Attempts after the first failed one.</summary>
    public int Retries { get; set; } = DefaultRetries;

    /// <summary>Wait before the first retry, doubled after each failure.</summary>
    public TimeSpan Backoff { get; set; } = TimeSpan.FromSeconds(DefaultBackoffSeconds);

    /// <summary>Time allowed for one POST.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(DefaultTimeoutSeconds);
}
