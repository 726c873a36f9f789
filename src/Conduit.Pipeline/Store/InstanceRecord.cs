namespace Conduit.Pipeline.Store;

/// <summary>
/// What the store records for one received instance: the key tags (read once from the header), where it came from,
/// and where its file is. UIDs are required; the rest is optional because real data often lacks it.
/// </summary>
public sealed record InstanceRecord
{
    public string PatientId { get; init; } = "";
    public string IssuerOfPatientId { get; init; } = "";
    public string? PatientName { get; init; }
    public string? PatientBirthDate { get; init; }
    public string? PatientSex { get; init; }

    public required string StudyInstanceUid { get; init; }
    public string? AccessionNumber { get; init; }
    public string? StudyDate { get; init; }
    public string? StudyDescription { get; init; }

    public required string SeriesInstanceUid { get; init; }
    public string? Modality { get; init; }
    public string? SeriesNumber { get; init; }
    public string? SeriesDescription { get; init; }

    /// <summary>The series size when the data says it (Number of Series Related Instances, Images in Acquisition).</summary>
    public int? ExpectedSeriesInstances { get; init; }

    public required string SopInstanceUid { get; init; }
    public required string SopClassUid { get; init; }
    public required string TransferSyntaxUid { get; init; }
    public string? InstanceNumber { get; init; }

    public required InstanceSource Source { get; init; }
    public string? CallingAeTitle { get; init; }
    public string? CalledAeTitle { get; init; }

    /// <summary>The association (or HTTP request, or folder scan) that delivered it, so its end can close batches.</summary>
    public string? AssociationId { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }
    public required long SizeBytes { get; init; }

    /// <summary>The file's path relative to the data directory (see <see cref="IInstanceFileLayout"/>).</summary>
    public required string Path { get; init; }
}
