using Conduit.Dicom.Network.Dimse;
using Conduit.Dicom.Tests.Support;

namespace Conduit.Dicom.Network.Tests.Support;

/// <summary>Picks corpus samples a C-STORE SCP must store: readable, with valid study/series/instance UIDs, one per SOP Instance UID.</summary>
internal static class SampleSelection
{
    public static List<string> Storable(Func<SampleFile, bool> filter, int max)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var chosen = new List<string>();
        foreach (var sample in Samples.WellFormed.Where(filter))
        {
            if (chosen.Count == max) break;
            DicomFile header;
            try
            {
                header = DicomFile.Open(sample.FullPath, DicomReadOptions.HeaderOnly);
            }
            catch (DicomReadException)
            {
                continue;
            }
            var ds = header.Dataset;
            var ok = new[] { DicomTags.StudyInstanceUID, DicomTags.SeriesInstanceUID, DicomTags.SOPInstanceUID, DicomTags.SOPClassUID }
                .All(t => DicomUidValidator.IsValid(ds.GetStringOrDefault(t)?.TrimEnd('\0', ' ')));
            if (ok && DicomUidDictionary.IsStorageSopClass(ds.GetString(DicomTags.SOPClassUID).TrimEnd('\0', ' '))
                && seen.Add(ds.GetString(DicomTags.SOPInstanceUID).TrimEnd('\0', ' ')))
                chosen.Add(sample.FullPath);
        }
        return chosen;
    }

    /// <summary>The data set bytes of a Part 10 file (what C-STORE carries).</summary>
    public static byte[] DatasetBytes(string path)
    {
        var offset = DicomFile.Open(path, DicomReadOptions.HeaderOnly).DatasetOffset;
        return File.ReadAllBytes(path)[(int)offset..];
    }

    public static string SopInstanceUid(string path) =>
        DicomFile.Open(path, DicomReadOptions.HeaderOnly).Dataset.GetString(DicomTags.SOPInstanceUID).TrimEnd('\0', ' ');
}
