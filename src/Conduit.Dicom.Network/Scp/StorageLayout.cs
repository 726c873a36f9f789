namespace Conduit.Dicom.Network.Scp;

/// <summary>The keys a storage layout may use; every UID here has been checked with <see cref="Dimse.DicomUidValidator"/>.</summary>
public readonly record struct StorageKeys(
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string SopInstanceUid,
    string SopClassUid,
    string? PatientId,
    string? Modality,
    string CallingAeTitle);

/// <summary>Where a received instance goes, relative to the output directory. The SCP refuses any path that would leave it.</summary>
public interface IStorageLayout
{
    string GetRelativePath(in StorageKeys keys);
}

/// <summary><c>&lt;StudyInstanceUID&gt;/&lt;SeriesInstanceUID&gt;/&lt;SOPInstanceUID&gt;.dcm</c>.</summary>
public sealed class DefaultStorageLayout : IStorageLayout
{
    public static readonly DefaultStorageLayout Instance = new();

    public string GetRelativePath(in StorageKeys keys) =>
        Path.Combine(keys.StudyInstanceUid, keys.SeriesInstanceUid, keys.SopInstanceUid + ".dcm");
}
