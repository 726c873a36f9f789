namespace Conduit.Pipeline.Store;

/// <summary>An instance row as read back (key tags of the instance level; study and series rows hold the rest).</summary>
public sealed record StoredInstance(
    string SopInstanceUid,
    string SeriesInstanceUid,
    string StudyInstanceUid,
    string SopClassUid,
    string TransferSyntaxUid,
    string? InstanceNumber,
    InstanceSource Source,
    string? CallingAeTitle,
    string? AssociationId,
    DateTimeOffset ReceivedAt,
    long SizeBytes,
    string Path);
