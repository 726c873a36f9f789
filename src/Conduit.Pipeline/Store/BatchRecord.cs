using Conduit.Pipeline.Grouping;

namespace Conduit.Pipeline.Store;

/// <summary>
/// One batch as stored. <see cref="KeyUid"/> is the series or study UID, by <see cref="Scope"/>; <see cref="CloseDetail"/>
/// is the grouping layer's description of the closing signal (e.g. "quiet time elapsed (120 instances)"); <see cref="NodeId"/>
/// the node that fills it (null for a store without a node id, one node on its own).
/// </summary>
public sealed record BatchRecord(
    string Id,
    BatchScope Scope,
    string KeyUid,
    string Flow,
    string StudyInstanceUid,
    bool IsOpen,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastInstanceAt,
    string? LastAssociationId,
    int InstanceCount,
    DateTimeOffset? ClosedAt,
    BatchCloseReason? CloseReason,
    string? CloseDetail,
    string? NodeId = null)
{
    public BatchKey Key => new(Scope, KeyUid, Flow);
}
