using Conduit.Pipeline.Jobs;

namespace Conduit.Pipeline.Store;

/// <summary>The <see cref="IWebhookDeliveryStore"/> on SQLite or PostgreSQL.</summary>
public sealed class SqlWebhookDeliveryStore(StoreDatabase database) : IWebhookDeliveryStore
{
    public Task<WebhookDeliveryRecord> CreateAsync(string jobId, string url, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        var now = database.UtcNow;
        var id = StoreIds.New(now);
        return database.WriteAsync((c, t) =>
        {
            c.Execute(t, """
                INSERT INTO webhook_deliveries (id, job_id, url, status, attempts, created_at, next_attempt_at)
                VALUES (@id, @job, @url, 'pending', 0, @now, @now);
                """, ("@id", id), ("@job", jobId), ("@url", url), ("@now", UtcTime.ToText(now)));
            return c.Query(t, "SELECT * FROM webhook_deliveries WHERE id = @id;", SqlJobRows.Webhook, ("@id", id))[0];
        }, cancellationToken);
    }

    public Task RecordAttemptAsync(string deliveryId, bool delivered, int? responseStatus, string? error,
        DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken)
    {
        var now = UtcTime.ToText(database.UtcNow);
        var status = delivered ? "delivered" : nextAttemptAt is null ? "failed" : "pending";
        return database.WriteAsync((c, t) => c.Execute(t, """
            UPDATE webhook_deliveries SET status = @status, attempts = attempts + 1, response_status = @code,
                last_error = @error, next_attempt_at = @next,
                delivered_at = CASE WHEN @status = 'delivered' THEN @now ELSE NULL END
            WHERE id = @id;
            """,
            ("@id", deliveryId), ("@status", status), ("@code", responseStatus), ("@error", error),
            ("@next", UtcTime.ToText(nextAttemptAt)), ("@now", now)) == 1
            ? 0 : throw new JobStateException($"Webhook delivery {deliveryId} does not exist."), cancellationToken);
    }

    public Task<IReadOnlyList<WebhookDeliveryRecord>> ListDueAsync(CancellationToken cancellationToken)
    {
        var now = UtcTime.ToText(database.UtcNow);
        return database.ReadAsync<IReadOnlyList<WebhookDeliveryRecord>>(c => c.Query(null, """
            SELECT * FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= @now ORDER BY next_attempt_at, id;
            """, SqlJobRows.Webhook, ("@now", now)), cancellationToken);
    }

    public Task<IReadOnlyList<WebhookDeliveryRecord>> ListForJobAsync(string jobId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<WebhookDeliveryRecord>>(c => c.Query(null,
            "SELECT * FROM webhook_deliveries WHERE job_id = @job ORDER BY id;", SqlJobRows.Webhook, ("@job", jobId)),
            cancellationToken);
}
