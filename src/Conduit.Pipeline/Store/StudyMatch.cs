namespace Conduit.Pipeline.Store;

/// <summary>A study found by a <see cref="StudyQuery"/>, with what a QIDO-RS study result shows (PS3.18 §10.6.3.3.1).</summary>
public sealed record StudyMatch(
    string StudyInstanceUid,
    string PatientId,
    string? PatientName,
    string? PatientBirthDate,
    string? PatientSex,
    string? AccessionNumber,
    string? StudyDate,
    string? StudyDescription,
    IReadOnlyList<string> Modalities,
    int SeriesCount,
    int InstanceCount,
    DateTimeOffset? UpdatedAt = null);
