namespace Conduit.Pipeline.Queue;

/// <summary>
/// A job id the broker handed this node, not yet acknowledged. <see cref="HolderSeenUntil"/> is set when the job was
/// leased in the database by another worker: the delivery is looked at again once that lease would lapse.
/// </summary>
internal sealed record JobDelivery(string JobId, ulong Tag, bool Redelivered, DateTimeOffset? HolderSeenUntil = null);
