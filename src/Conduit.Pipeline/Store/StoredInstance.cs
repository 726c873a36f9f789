namespace Conduit.Pipeline.Store;

/// <summary>
/// An instance row as read back, with the series-level tags a restored batch needs (<see cref="Modality"/>,
/// <see cref="SeriesDescription"/>, <see cref="ExpectedSeriesInstances"/>).
/// </summary>
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
    string Path,
    string? Modality,
    string? SeriesDescription,
    int? ExpectedSeriesInstances);
