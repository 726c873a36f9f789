using Conduit.Dicom;
using Conduit.Tests.Support;

namespace Conduit.Tests.Network;

/// <summary>What every file <c>conduit receive</c> stores must satisfy, besides its data set.</summary>
internal static class StoredFileChecks
{
    /// <summary>
    /// The file sits at <c>OUT/StudyUID/SeriesUID/SOPInstanceUID.dcm</c> (the CLI contract) and its File Meta names the
    /// instance and the sender: (0002,0003) equals the SOP Instance UID, (0002,0016) Source AE Title is the calling AE
    /// (PS3.10 §7.1), (0002,0010) is present.
    /// </summary>
    public static IEnumerable<string> Problems(SampleInstance original, string storedPath, string outDir, string callingAeTitle)
    {
        DicomFile file;
        try
        {
            file = DicomFile.Open(storedPath, DicomReadOptions.HeaderOnly);
        }
        catch (Exception e) when (e is DicomReadException or IOException or InvalidDataException)
        {
            return [$"{original.Path}: stored file {storedPath} unreadable: {e.Message}"];
        }
        return Problems(original, file, storedPath, outDir, callingAeTitle);
    }

    private static IEnumerable<string> Problems(SampleInstance original, DicomFile file, string storedPath, string outDir, string callingAeTitle)
    {
        var study = file.Dataset.GetStringOrDefault(DicomTags.StudyInstanceUID)?.Trim();
        var series = file.Dataset.GetStringOrDefault(DicomTags.SeriesInstanceUID)?.Trim();
        var expected = Path.Combine(outDir, study ?? "?", series ?? "?", original.SopInstanceUid + ".dcm");
        if (!string.Equals(Path.GetFullPath(storedPath), Path.GetFullPath(expected), StringComparison.Ordinal))
            yield return $"{original.Path}: stored at {Path.GetRelativePath(outDir, storedPath)}, expected {Path.GetRelativePath(outDir, expected)}";

        var mediaUid = file.Meta.GetStringOrDefault(DicomTags.MediaStorageSOPInstanceUID)?.Trim();
        if (mediaUid != original.SopInstanceUid)
            yield return $"{original.Path}: (0002,0003) is '{mediaUid}', expected '{original.SopInstanceUid}'";
        var sourceAe = file.Meta.GetStringOrDefault(DicomTags.SourceApplicationEntityTitle)?.Trim();
        if (sourceAe != callingAeTitle)
            yield return $"{original.Path}: (0002,0016) Source AE Title is '{sourceAe}', expected the calling AE '{callingAeTitle}'";
        if (string.IsNullOrEmpty(file.Meta.GetStringOrDefault(DicomTags.TransferSyntaxUID)))
            yield return $"{original.Path}: no (0002,0010) Transfer Syntax UID in the File Meta";
    }
}
