using Conduit.Pipeline.Jobs;

namespace Conduit.Pipeline.Store;

/// <summary>Webhook POSTs of job summaries, recorded so they are retried after a crash and visible in a job's record.</summary>
public interface IWebhookDeliveryStore
{
    /// <summary>Records a pending delivery due now.</summary>
    Task<WebhookDeliveryRecord> CreateAsync(string jobId, string url, CancellationToken cancellationToken);

    /// <summary>
    /// Records one attempt: delivered (with the response status), or failed with the error, either for good
    /// (<paramref name="nextAttemptAt"/> null) or to be retried at <paramref name="nextAttemptAt"/>.
    /// </summary>
    Task RecordAttemptAsync(string deliveryId, bool delivered, int? responseStatus, string? error,
        DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken);

    /// <summary>Pending deliveries whose next attempt is due.</summary>
    Task<IReadOnlyList<WebhookDeliveryRecord>> ListDueAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<WebhookDeliveryRecord>> ListForJobAsync(string jobId, CancellationToken cancellationToken);
}
