namespace Conduit.Pipeline.Store;

/// <summary>A study with its patient and counts, as listed by <c>GET /api/v1/studies</c>.</summary>
public sealed record StudySummary(
    string StudyInstanceUid,
    string PatientId,
    string? PatientName,
    string? AccessionNumber,
    string? StudyDate,
    string? StudyDescription,
    int SeriesCount,
    int InstanceCount,
    DateTimeOffset UpdatedAt);
