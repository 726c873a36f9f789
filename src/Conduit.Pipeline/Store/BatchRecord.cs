namespace Conduit.Pipeline.Store;

/// <summary>One batch as stored. <see cref="KeyUid"/> is the series or study UID, by <see cref="Scope"/>.</summary>
public sealed record BatchRecord(
    string Id,
    BatchScope Scope,
    string KeyUid,
    string StudyInstanceUid,
    bool IsOpen,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastInstanceAt,
    string? LastAssociationId,
    int InstanceCount,
    DateTimeOffset? ClosedAt,
    string? CloseReason);
