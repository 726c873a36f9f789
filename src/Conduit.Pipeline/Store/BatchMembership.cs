using Conduit.Pipeline.Grouping;

namespace Conduit.Pipeline.Store;

/// <summary>
/// A batch an instance joins as it is recorded: one series or study gathered for one flow (the grouping layer's
/// <see cref="BatchKey"/>). <see cref="BatchId"/> is the id the <see cref="BatchTracker"/> gave the batch; when null,
/// the store picks the open batch for the key, or opens one with a new id.
/// </summary>
public sealed record BatchMembership(BatchScope Scope, string KeyUid, string Flow, string? BatchId = null)
{
    public static BatchMembership For(BatchKey key, string? batchId = null) => new(key.Scope, key.Uid, key.Flow, batchId);
}
