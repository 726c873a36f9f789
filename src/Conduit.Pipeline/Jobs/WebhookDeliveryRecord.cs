namespace Conduit.Pipeline.Jobs;

/// <summary>
/// One webhook POST of a job summary, with its retry bookkeeping. <see cref="Status"/> is <c>pending</c>,
/// <c>delivered</c> or <c>failed</c>.
/// </summary>
public sealed record WebhookDeliveryRecord(
    string Id,
    string JobId,
    string Url,
    string Status,
    int Attempts,
    int? ResponseStatus,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt);
