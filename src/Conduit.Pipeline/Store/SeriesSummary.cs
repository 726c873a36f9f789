namespace Conduit.Pipeline.Store;

/// <summary>A series with its instance count, as shown by <c>GET /api/v1/series/{uid}</c>.</summary>
public sealed record SeriesSummary(
    string SeriesInstanceUid,
    string StudyInstanceUid,
    string? Modality,
    string? SeriesNumber,
    string? SeriesDescription,
    int? ExpectedInstances,
    int InstanceCount,
    DateTimeOffset UpdatedAt);
