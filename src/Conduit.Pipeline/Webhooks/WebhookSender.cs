using System.Net.Http.Json;
using System.Text.Json;
using Conduit.Pipeline.Destinations;
using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Webhooks;

/// <summary>
/// POSTs a job summary (JSON) to the URLs a flow names when a job ends. A 2xx answer is delivery; a 5xx, 408, 429 or a
/// network error is retried with backoff; any other 4xx is the receiver refusing the payload and is not retried.
/// </summary>
public sealed partial class WebhookSender(HttpClient http, ILogger<WebhookSender> logger, TimeProvider? time = null)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Delivers <paramref name="payload"/> to <paramref name="url"/>, retrying per <paramref name="schedule"/>; returns the last outcome.</summary>
    public async Task<WebhookDelivery> SendAsync(Uri url, object payload, RetrySchedule schedule, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, payload.GetType(), Json);
        for (var attempt = 1; ; attempt++)
        {
            var (ok, retry, detail) = await TryOnceAsync(url, body, cancellationToken).ConfigureAwait(false);
            if (ok) return new WebhookDelivery(url, true, attempt, detail);
            if (!retry || !schedule.AllowsAnotherAttempt(attempt))
            {
                LogGaveUp(logger, url, attempt, detail);
                return new WebhookDelivery(url, false, attempt, detail);
            }
            var delay = schedule.DelayBefore(attempt + 1);
            LogRetrying(logger, url, attempt, detail, delay.TotalSeconds);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(bool Ok, bool Retry, string Detail)> TryOnceAsync(Uri url, byte[] body, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
            using var response = await http.PostAsync(url, content, cancellationToken).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            var detail = $"HTTP {code} {response.ReasonPhrase}";
            if (response.IsSuccessStatusCode) return (true, false, detail);
            return (false, code >= 500 || code is 408 or 429, detail);
        }
        catch (HttpRequestException ex)
        {
            return (false, true, ex.Message);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, true, $"timed out: {ex.Message}");
        }
    }

    [LoggerMessage(EventId = 3601, Level = LogLevel.Warning, Message = "Webhook {Url}: attempt {Attempt} failed ({Detail}); retrying in {DelaySeconds:0.#} s")]
    private static partial void LogRetrying(ILogger logger, Uri url, int attempt, string detail, double delaySeconds);

    [LoggerMessage(EventId = 3602, Level = LogLevel.Error, Message = "Webhook {Url}: giving up after {Attempts} attempts ({Detail})")]
    private static partial void LogGaveUp(ILogger logger, Uri url, int attempts, string detail);
}

/// <summary>How a webhook call ended.</summary>
public sealed record WebhookDelivery(Uri Url, bool Delivered, int Attempts, string Detail);
