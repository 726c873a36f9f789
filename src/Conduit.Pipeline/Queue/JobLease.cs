namespace Conduit.Pipeline.Queue;

/// <summary>
/// A worker's claim on a queued job until <see cref="ExpiresAt"/>. The <see cref="Token"/> is new for every dequeue,
/// so a worker whose lease lapsed (and whose job went to another worker) can neither extend nor complete it.
/// <see cref="DeliveryCount"/> is 1 on the first dequeue and grows each time the job comes back.
/// </summary>
public sealed record JobLease(
    string JobId,
    int Priority,
    string WorkerId,
    string Token,
    DateTimeOffset ExpiresAt,
    int DeliveryCount);
